// The log writer: lines reach the output in order, a stalled output drops and counts lines
// instead of blocking, and the end is bounded even then.

#include "ops/line_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace presign::ops {
namespace {

std::string read_all(int fd) {
    std::string out;
    char buf[65536];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
        out.append(buf, static_cast<std::size_t>(n));
    return out;
}

TEST(line_writer, writes_lines_in_order_to_a_pipe) {
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    std::string expected;
    {
        line_writer w(p[1], true);
        for (int i = 0; i < 1000; ++i) {
            const std::string line = "line " + std::to_string(i) + "\n";
            w.write(line);
            expected += line;
        }
        // 1000 short lines fit the pipe; flush returns once they are all in it.
        EXPECT_TRUE(w.flush(std::chrono::seconds(5)));
        EXPECT_EQ(w.dropped(), 0u);
    }
    EXPECT_EQ(read_all(p[0]), expected);
    ::close(p[0]);
}

TEST(line_writer, appends_to_a_file) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("presign-line-writer-" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(path);
    for (int round = 0; round < 2; ++round) {
        auto w = line_writer::open(path.string());
        w->write("round " + std::to_string(round) + "\n");
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "round 0\nround 1\n");
    EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::others_all,
              std::filesystem::perms::none);
    std::filesystem::remove(path);
    EXPECT_THROW(line_writer::open("/nonexistent-dir/x.log"), std::runtime_error);
}

TEST(line_writer, drops_and_counts_lines_when_the_output_stalls) {
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    ::fcntl(p[1], F_SETPIPE_SZ, 4096);
    counter dropped;
    const auto started = std::chrono::steady_clock::now();
    {
        line_writer w(p[1], true, &dropped, 64 * 1024);
        const std::string line(99, 'x');
        for (int i = 0; i < 10000; ++i) w.write(line + "\n");  // nobody reads the pipe
        // Writing never blocked: the lines past the bound were dropped and counted.
        EXPECT_GT(w.dropped(), 8000u);
        EXPECT_EQ(w.dropped(), dropped.value());
        EXPECT_FALSE(w.flush(std::chrono::milliseconds(300)));
    }
    // The destructor gave up on the stalled pipe after its grace period.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    ::close(p[0]);
}

}  // namespace
}  // namespace presign::ops
