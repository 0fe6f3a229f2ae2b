-- wrk script: every request is a POST of one JSON body, as an app calling presign's API would
-- send it. The route is the path of the URL given to wrk.
--
--   wrk -t2 -c32 -d10s --latency -s bench/wrk/post_json.lua http://127.0.0.1:PORT/get-upload-url
--   WRK_BODY='{"filename": "a/b.png"}' wrk ... (default: {"filename": "image.jpg"})
--
-- The body is fixed for the whole run, so wrk does no per-request work beyond sending it; no
-- response() callback either, which would make wrk parse every response body.

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("WRK_BODY") or '{"filename": "image.jpg"}'
