// The upload page: access (a pasted API key or JWT), uploads with a progress bar each, and
// the caller's files with download links and delete. Plain DOM, no framework.

import { call, hasToken, setToken } from './api.js';
import { baseName, formatBytes, formatDate, formatSpeed, typeOfName } from './format.js';
import { Upload } from './upload.js';

const $ = (selector) => document.querySelector(selector);

// Names and types of the files uploaded from this page, by key: the key holds a sanitised
// name, the download should carry the original one.
const originalNames = new Map();
const knownTypes = new Map();

/** A sentence for a refusal, naming the file when there is one. */
function explain(err, name) {
  const file = name ? `“${name}”` : 'The file';
  switch (err.code) {
    case 'file_too_large': {
      const limit = /limit is (\d+)/.exec(err.message);
      return limit ? `${file} is too large: the limit is ${formatBytes(Number(limit[1]))}.`
        : `${file} is too large for this server.`;
    }
    case 'type_not_allowed': {
      const allowed = /allowed: (.*)$/.exec(err.message);
      return `${file} is a type of file this server does not accept` +
        (allowed ? ` (allowed: ${allowed[1]}).` : '.');
    }
    case 'unauthorized':
      return hasToken() ? 'Not authorised: the server does not accept this API key or token.'
        : 'Not authorised: this server needs an API key or JWT. Paste it under Access.';
    case 'forbidden':
      return `Not allowed: ${err.message}.`;
    case 'expired':
      return `The upload link for ${file.replace(/^The file$/, 'the file')} expired before the file arrived. Try again.`;
    case 'network':
      return 'No answer: the server or the storage could not be reached (a network problem, or a storage without CORS for this page).';
    case 'backend_unavailable':
      return 'The storage is not answering right now. Try again in a moment.';
    default:
      return `${name ? `${file} failed` : 'Failed'}: ${err.message}`;
  }
}

function setStatus(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('error', isError);
}

// ---- uploads ----------------------------------------------------------------------------

function uploadItem(upload) {
  const li = document.createElement('li');
  li.className = 'upload';
  li.innerHTML = `
    <div class="row between">
      <span class="name"></span>
      <span class="phase"></span>
    </div>
    <progress max="1" value="0"></progress>
    <div class="row between">
      <span class="detail"></span>
      <button type="button" class="secondary small cancel">Cancel</button>
    </div>
    <p class="message error" role="alert"></p>`;
  li.querySelector('.name').textContent = upload.file.name;
  const bar = li.querySelector('progress');
  bar.max = Math.max(1, upload.total);
  bar.setAttribute('aria-label', `Upload of ${upload.file.name}`);
  const cancel = li.querySelector('.cancel');
  cancel.setAttribute('aria-label', `Cancel the upload of ${upload.file.name}`);
  cancel.addEventListener('click', () => {
    upload.cancel();
    render(upload, li);
  });
  return li;
}

const PHASES = {
  waiting: 'Waiting', uploading: 'Uploading', completing: 'Completing', done: 'Done',
  cancelled: 'Cancelled', failed: 'Failed',
};

function render(upload, li) {
  const bar = li.querySelector('progress');
  const loaded = upload.phase === 'done' ? upload.total : upload.loaded;
  bar.value = upload.total ? loaded : (upload.phase === 'done' ? 1 : 0);
  li.dataset.phase = upload.phase;
  li.dataset.key = upload.key;
  if (upload.uploadId) li.dataset.uploadId = upload.uploadId;
  li.querySelector('.phase').textContent = PHASES[upload.phase];
  let detail = `${formatBytes(loaded)} of ${formatBytes(upload.total)}`;
  if (upload.phase === 'uploading') detail += ` · ${formatSpeed(upload.speed)}`;
  if (upload.multipart && upload.partCount) detail += ` · ${upload.partCount} parts`;
  if (upload.retries) detail += ` · ${upload.retries} ${upload.retries === 1 ? 'retry' : 'retries'}`;
  li.querySelector('.detail').textContent = detail;
  li.querySelector('.cancel').hidden = !['waiting', 'uploading', 'completing'].includes(upload.phase);
}

// Files upload FILES_AT_ONCE at a time (a multipart upload sends several parts at once too, and
// browsers open only six connections per host); the others wait their turn.
const FILES_AT_ONCE = 3;
const queue = [];
let running = 0;

function pump() {
  while (running < FILES_AT_ONCE && queue.length) {
    const { upload, li, file } = queue.shift();
    if (upload.cancelled) continue;  // cancelled while waiting: never started
    running += 1;
    upload.start().then(() => {
      originalNames.set(upload.key, file.name);
      knownTypes.set(upload.key, upload.type);
      refreshFiles();
    }, (err) => {
      render(upload, li);
      if (err.code !== 'cancelled') li.querySelector('.message').textContent = explain(err, file.name);
      if (err.code === 'unauthorized') $('#token').focus();
    }).finally(() => {
      running -= 1;
      pump();
    });
  }
}

function startUploads(files) {
  const list = $('#uploads');
  for (const file of files) {
    let li;
    let frame = 0;
    const upload = new Upload(file, {
      onProgress: (u) => {  // many events per second: draw once per frame
        if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(u, li); });
      },
      onPhase: (u) => render(u, li),
    });
    li = uploadItem(upload);
    list.prepend(li);
    render(upload, li);
    queue.push({ upload, li, file });
  }
  pump();
}

function setUpDropZone() {
  const drop = $('#drop');
  const input = $('#file-input');
  $('#choose').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    startUploads([...input.files]);
    input.value = '';  // the same file may be chosen again
  });
  for (const type of ['dragenter', 'dragover']) {
    drop.addEventListener(type, (e) => {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      drop.classList.add('over');
    });
  }
  drop.addEventListener('dragleave', (e) => {
    if (!drop.contains(e.relatedTarget)) drop.classList.remove('over');
  });
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const files = [...(e.dataTransfer?.files || [])];
    if (files.length) startUploads(files);
  });
  // A file dropped next to the zone must not replace the page with itself.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
}

// ---- the caller's files -------------------------------------------------------------------

let listing = 0;  // the latest refresh wins

/** Lists the caller's files again; resolves to the error that stopped it, or null. */
async function refreshFiles() {
  const mine = ++listing;
  const status = $('#files-status');
  const objects = [];
  try {
    let token = '';
    for (let page = 0; page < 20; page += 1) {  // up to 20,000 objects
      const query = token ? `?continuation_token=${encodeURIComponent(token)}` : '';
      const answer = await call('GET', `/v1/objects${query}`);
      objects.push(...answer.objects);
      token = answer.next_continuation_token || '';
      if (!token) break;
    }
  } catch (err) {
    if (mine !== listing) return null;
    $('#files tbody').replaceChildren();
    setStatus(status, explain(err), true);
    return err;
  }
  if (mine !== listing) return null;
  objects.sort((a, b) => (a.last_modified < b.last_modified ? 1 : -1));
  $('#files tbody').replaceChildren(...objects.map(fileRow));
  setStatus(status, objects.length ? `${objects.length} ${objects.length === 1 ? 'file' : 'files'}` : 'No files yet.');
  return null;
}

function fileRow(object) {
  const name = originalNames.get(object.key) || baseName(object.key);
  const tr = document.createElement('tr');
  tr.dataset.key = object.key;
  tr.innerHTML = `
    <td class="name"></td><td class="num size"></td><td class="type"></td><td class="date"></td>
    <td class="actions"><a class="download" href="#"></a> <button type="button" class="secondary small delete">Delete</button></td>`;
  tr.querySelector('.name').textContent = name;
  tr.querySelector('.name').title = object.key;
  tr.querySelector('.size').textContent = formatBytes(object.size);
  // A line may break after the '/' of a long type ("application/<wbr>octet-stream").
  const [major, ...minor] = (knownTypes.get(object.key) || typeOfName(name) || '—').split('/');
  tr.querySelector('.type').append(major, ...(minor.length ? ['/', document.createElement('wbr'), minor.join('/')] : []));
  tr.querySelector('.date').textContent = formatDate(object.last_modified);
  const link = tr.querySelector('.download');
  link.textContent = 'Download';
  link.setAttribute('aria-label', `Download ${name}`);
  link.addEventListener('click', (e) => {
    e.preventDefault();
    download(object.key, name);
  });
  const del = tr.querySelector('.delete');
  del.setAttribute('aria-label', `Delete ${name}`);
  del.addEventListener('click', () => remove(object.key, name, del));
  return tr;
}

// A fresh presigned GET for each click (a link made earlier may have expired), saved under the
// original name (Content-Disposition: attachment).
async function download(key, name) {
  const status = $('#files-status');
  try {
    const answer = await call('POST', '/v1/downloads', { key, filename: name });
    window.location.assign(answer.url);
    setStatus(status, `Downloading “${name}”…`);
  } catch (err) {
    setStatus(status, explain(err, name), true);
  }
}

async function remove(key, name, button) {
  const status = $('#files-status');
  button.disabled = true;
  try {
    await call('DELETE', `/v1/objects?key=${encodeURIComponent(key)}`);
    await refreshFiles();
    setStatus(status, `Deleted “${name}”.`);
  } catch (err) {
    button.disabled = false;
    setStatus(status, explain(err, name), true);
  }
}

// ---- access -------------------------------------------------------------------------------

function setUpAccess() {
  const form = $('#access');
  const input = $('#token');
  const status = $('#access-status');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    setToken(input.value);
    input.value = '';  // out of the DOM too; the module keeps it
    setStatus(status, 'Checking…');
    const err = await refreshFiles();  // the listing tells whether the server takes the key
    if (err && err.code === 'unauthorized') setStatus(status, explain(err), true);
    else setStatus(status, hasToken() ? 'Using the pasted key for API calls.' : 'Calling without a key.');
  });
  $('#forget').addEventListener('click', () => {
    setToken('');
    input.value = '';
    setStatus(status, 'Key forgotten: calling without a key.');
    refreshFiles();
  });
}

setUpAccess();
setUpDropZone();
$('#refresh').addEventListener('click', refreshFiles);
refreshFiles();
