// Numbers and names as the page shows them.

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB"; binary units, as file managers show sizes. */
export function formatBytes(n) {
  if (!Number.isFinite(n) || n < 1024) return `${Math.max(0, Math.round(n || 0))} bytes`;
  let i = 0;
  while (n >= 1024 && i < UNITS.length - 1) {
    n /= 1024;
    i += 1;
  }
  return `${n.toFixed(n < 10 ? 2 : 1)} ${UNITS[i]}`;
}

/** Bytes per second -> "3.2 MiB/s". */
export function formatSpeed(bytesPerSecond) {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** An ISO 8601 time -> the reader's local date and time. */
export function formatDate(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '';
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The name a key shows as: what follows its last '/'. */
export function baseName(key) {
  return key.slice(key.lastIndexOf('/') + 1);
}

const TYPES = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  svg: 'image/svg+xml', avif: 'image/avif', heic: 'image/heic', txt: 'text/plain', md: 'text/markdown',
  csv: 'text/csv', html: 'text/html', json: 'application/json', xml: 'application/xml',
  pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip', tar: 'application/x-tar',
  mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime', mp3: 'audio/mpeg', wav: 'audio/wav',
  bin: 'application/octet-stream', iso: 'application/octet-stream',
};

/** A type for a name, from its extension (listings carry no content type); '' when unknown. */
export function typeOfName(name) {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : TYPES[name.slice(dot + 1).toLowerCase()] || '';
}
