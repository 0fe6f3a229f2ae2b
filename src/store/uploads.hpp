#pragma once
// The in-memory state of multipart uploads and the steps the multipart operations, the part
// writer and open()'s recovery share. Internal to the store.
//
// Each bucket keeps its uploads in an upload_index (guarded by bucket_state::uploads_mutex, a
// leaf lock: held only to look up, insert, erase or copy out a page). Each upload has its own
// mutex, taken before the key stripe, lifecycle and index locks of store_state.hpp: it
// serialises part commits, completion and abort of that upload, so a part is never renamed
// into an upload that is being removed, and an upload ends (completed or aborted) once.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/digest.hpp"
#include "store/errors.hpp"
#include "store/metadata.hpp"
#include "store/multipart.hpp"

namespace presign::store {
struct open_report;
}

namespace presign::store::detail {

struct store_state;
struct bucket_state;

/// What the store remembers of one committed part (its file holds the same in its header).
struct part_entry {
    core::md5_digest md5{};
    std::uint64_t size = 0;
    core::time_point last_modified;
};

/// One upload in progress. id, key, initiated and headers never change after creation.
struct upload_state {
    std::string id;
    std::string key;
    core::time_point initiated;
    object_headers headers;

    std::mutex mutex;
    bool gone = false;                ///< completed or aborted; guarded by mutex
    std::map<int, part_entry> parts;  ///< by part number; guarded by mutex
};

/// A bucket's uploads: by id for lookups, and by (key, id) for ListMultipartUploads.
class upload_index {
  public:
    /// Adds an upload (its id must be new).
    void insert(std::shared_ptr<upload_state> upload);
    /// Removes an upload; absent uploads are ignored.
    void erase(const upload_state& upload);
    /// The upload with this id, or nullptr.
    std::shared_ptr<upload_state> find(std::string_view id) const;
    /// Every upload initiated before `cutoff`.
    std::vector<std::shared_ptr<upload_state>> initiated_before(core::time_point cutoff) const;

    /// One ListMultipartUploads page (see list_uploads_request for the order and markers).
    list_uploads_page page(const list_uploads_request& request) const;

  private:
    using ordered_map = std::map<std::string, std::shared_ptr<upload_state>, std::less<>>;
    using iterator = ordered_map::const_iterator;
    iterator first_candidate(const list_uploads_request& request) const;
    iterator skip_group(std::string_view group) const;
    iterator later_of(iterator a, iterator b) const;

    std::unordered_map<std::string, std::shared_ptr<upload_state>> by_id_;
    /// key + '\0' + id: keys never contain NUL, so this orders by key, then id.
    ordered_map ordered_;
};

/// A new upload id for an upload initiated at `initiated`: 16 hex digits of the time (Unix
/// seconds, big-endian; negative times count as 0) followed by 32 hex digits of RAND_bytes, so
/// ids sort by initiation time and cannot be guessed. errc::io_error if RAND_bytes fails.
result<std::string> new_upload_id(core::time_point initiated);

/// MD5(md5s[0] || md5s[1] || ...): the digest half of a multipart object's ETag.
core::md5_digest multipart_etag_md5(const std::vector<core::md5_digest>& md5s);

/// The upload `id` of `key` in `bucket`. errc::no_such_upload when the id is malformed,
/// unknown, or belongs to another key.
result<std::shared_ptr<upload_state>> find_upload(const bucket_state& bucket, std::string_view key,
                                                  std::string_view id);

/// Makes the complete, fsynced part file `temp_name` (in tmp/) part `part_number` of `upload`:
/// under the upload's mutex, checks it has not ended (else no_such_upload) and that the bucket
/// still exists (else no_such_bucket), renames it into the upload's directory and records it;
/// then fsyncs that directory. On failure the temp file is left for the caller to remove.
result<void> publish_part(store_state& store, bucket_state& bucket, upload_state& upload,
                          const std::string& temp_name, int part_number, const part_entry& entry);

/// Marks `upload` gone and drops it from the bucket's index; the caller holds upload.mutex.
void forget_upload(bucket_state& bucket, upload_state& upload);

/// Ends `upload`; the caller holds upload.mutex and has checked it is not gone. Renames its
/// directory out into tmp/ (unless the bucket was deleted, which took the directory with it),
/// then forget_upload(). Returns the temp name to pass to discard_upload_dir() after unlocking
/// ("" when there is nothing to remove). On failure (errc::io_error) nothing changed.
result<std::string> retire_upload(store_state& store, bucket_state& bucket, upload_state& upload);

/// Second half of retire_upload(), outside the upload's lock: fsyncs the bucket's uploads/ and
/// removes the renamed directory from tmp/ (open() removes it if this fails).
result<void> discard_upload_dir(store_state& store, bucket_state& bucket,
                                const std::string& temp_name);

/// Ends `upload` (abort, abandoned cleanup): lock, retire, discard. errc::no_such_upload when
/// it had ended already.
result<void> abort_upload(store_state& store, bucket_state& bucket, upload_state& upload);

/// store::open()'s recovery of the uploads of one loaded bucket (its object index built):
/// loads each upload directory and its parts, removes uploads whose object was already
/// published (a crash between the rename and the removal), quarantines records and part files
/// that fail their checks and reports entries that are not part of the layout.
result<void> load_uploads(store_state& store, bucket_state& bucket, open_report& report);

}  // namespace presign::store::detail
