#pragma once
// Shared by the store's tests: a fresh data root per test (removed afterwards), a fixed clock,
// and helpers to move text in and out of the store.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace presign::store {
/// Error codes by name in test failure messages.
inline void PrintTo(errc code, std::ostream* out) {
    *out << to_string(code);
}
}  // namespace presign::store

namespace presign::store::test {

namespace fs = std::filesystem;

/// A directory made for one test and removed with everything in it when the test ends. It is
/// `<private parent>/data`, so a test can check that nothing appears beside it without being
/// disturbed by other processes using the system temp directory.
class temp_dir {
  public:
    temp_dir() {
        std::string pattern = (fs::temp_directory_path() / "presign-store-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        parent_ = pattern;
        path_ = parent_ / "data";
        fs::create_directory(path_);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(parent_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path parent_;
    fs::path path_;
};

/// Text as the byte span the writer takes.
inline std::span<const std::byte> bytes_of(std::string_view text) {
    return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

/// Everything an object reader yields, read sequentially in `chunk`-byte pieces.
inline std::string read_all(object_reader& reader, std::size_t chunk = 4096) {
    std::string out;
    std::vector<std::byte> buffer(chunk);
    for (;;) {
        auto got = reader.read(buffer);
        EXPECT_TRUE(got) << (got ? "" : got.error().message);
        if (!got || *got == 0) break;
        out.append(reinterpret_cast<const char*>(buffer.data()), *got);
    }
    return out;
}

/// `size` pseudo-random bytes from `seed` (deterministic).
inline std::string random_bytes(std::size_t size, std::uint64_t seed) {
    std::mt19937_64 engine(seed);
    std::string out(size, '\0');
    for (char& c : out) c = static_cast<char>(engine() & 0xFF);
    return out;
}

/// Names of the regular files in `dir` (non-recursive).
inline std::vector<std::string> files_in(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file()) out.push_back(entry.path().filename().string());
    return out;
}

/// A data root with one store open on it and one bucket, "bucket", created.
class store_fixture : public ::testing::Test {
  protected:
    void SetUp() override {
        reopen();
        ASSERT_TRUE(db().create_bucket("bucket"));
    }

    /// Closes the store (if open) and opens the data root again; returns the open report.
    const open_report& reopen() {
        store_.reset();
        auto opened = store::open(dir_.path(), clock_, options_);
        if (!opened) throw std::runtime_error("open failed: " + opened.error().message);
        store_.emplace(std::move(*opened));
        return store_->report();
    }

    /// Closes the store (the data root stays).
    void close() { store_.reset(); }

    store& db() { return *store_; }
    const fs::path& root() const { return dir_.path(); }
    fs::path tmp() const { return root() / "tmp"; }

    /// Puts `text` as `key` into "bucket" and returns the committed metadata.
    object_metadata put(std::string_view key, std::string_view text, put_options options = {}) {
        auto meta = db().put_object("bucket", key, bytes_of(text), std::move(options));
        if (!meta) throw std::runtime_error("put failed: " + meta.error().message);
        return *meta;
    }

    /// The object's bytes, or nullopt when it cannot be opened.
    std::optional<std::string> get(std::string_view key, std::string_view bucket = "bucket") {
        auto reader = db().open_object(bucket, key);
        if (!reader) return std::nullopt;
        return read_all(*reader);
    }

    temp_dir dir_;
    store_options options_;  ///< used by every reopen(); set before SetUp() to change
    core::fixed_clock clock_{core::time_point(std::chrono::seconds(1'700'000'000))};
    std::optional<store> store_;
};

}  // namespace presign::store::test
