// An Uppy page as an app would write it: @uppy/core, @uppy/dashboard and @uppy/aws-s3 with
// `endpoint` pointed at presign's Companion-compatible /s3/* routes (the API's URL comes in the
// query string: ?api=http://127.0.0.1:PORT). Bundled by esbuild from the npm packages; nothing
// is loaded from elsewhere.

import AwsS3 from '@uppy/aws-s3';
import Uppy from '@uppy/core';
import Dashboard from '@uppy/dashboard';

import '@uppy/core/css/style.min.css';
import '@uppy/dashboard/css/style.min.css';

const MiB = 1024 * 1024;
const endpoint = new URLSearchParams(window.location.search).get('api');

const uppy = new Uppy({ autoProceed: false })
  .use(Dashboard, { inline: true, target: '#uppy', height: 460, proudlyDisplayPoweredByUppy: false })
  .use(AwsS3, {
    endpoint,
    // Above 5 MiB: a multipart upload in 6 MiB parts; below, one POST form.
    shouldUseMultipart: (file) => file.size > 5 * MiB,
    getChunkSize: () => 6 * MiB,
  });

// What the test reads: the result of the first upload run.
window.uppy = uppy;
window.uploadResult = new Promise((resolve) => {
  uppy.on('complete', (result) => resolve({
    successful: result.successful.map((f) => ({ name: f.name, size: f.size, key: f.meta.key || f.s3Multipart?.key || '' })),
    failed: result.failed.map((f) => ({ name: f.name, error: String(f.error) })),
  }));
});
