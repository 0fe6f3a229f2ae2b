-- Browser-style POST-form uploads for wrk: every request is a multipart/form-data body made
-- of the policy's fields (prebuilt by bench/post_form_parts.py), a key of its own under the
-- policy's prefix, and the file.
--
--   wrk -c64 -d10s -s bench/wrk/post_form.lua URL -- FIELDS_FILE PAYLOAD_FILE PREFIX
--
-- FIELDS_FILE holds the form parts before the key, PAYLOAD_FILE the file's bytes, PREFIX the
-- key prefix the policy allows (e.g. "post/"). Keys are PREFIX<thread>-<n>, so no two uploads
-- write the same object.

local boundary = "presignbenchboundary7d2f1c"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

local fields, payload, prefix
local count = 0
local headers = { ["Content-Type"] = "multipart/form-data; boundary=" .. boundary }

function init(args)
  fields, payload, prefix = slurp(args[1]), slurp(args[2]), args[3]
end

function request()
  count = count + 1
  local key = prefix .. tostring(id) .. "-" .. tostring(count)
  local body = fields
    .. "--" .. boundary .. '\r\nContent-Disposition: form-data; name="key"\r\n\r\n' .. key .. "\r\n"
    .. "--" .. boundary .. '\r\nContent-Disposition: form-data; name="file"; filename="upload.bin"\r\n'
    .. "Content-Type: application/octet-stream\r\n\r\n" .. payload .. "\r\n"
    .. "--" .. boundary .. "--\r\n"
  return wrk.format("POST", nil, headers, body)
end
