#pragma once
// A Beast body type that sends a byte range of an open file in bounded chunks (pread into a
// 64 KiB buffer), so a GET of any size uses constant memory. Private to src/http.

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include "http/message.hpp"

namespace presign::http::detail {

struct fd_range_body {
    using value_type = file_range;  // the descriptor stays owned by the http::response

    static std::uint64_t size(const value_type& range) { return range.length; }

    class writer {
      public:
        using const_buffers_type = boost::asio::const_buffer;

        template <bool is_request, class Fields>
        writer(const boost::beast::http::header<is_request, Fields>&, const value_type& range)
            : range_(range) {}

        void init(boost::beast::error_code& ec) { ec = {}; }

        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
            ec = {};
            if (sent_ >= range_.length) return boost::none;
            const std::size_t want = static_cast<std::size_t>(
                std::min<std::uint64_t>(sizeof buf_, range_.length - sent_));
            ssize_t n;
            do {
                n = ::pread(range_.fd, buf_, want, static_cast<off_t>(range_.offset + sent_));
            } while (n < 0 && errno == EINTR);
            if (n < 0) {
                ec = {errno, boost::system::system_category()};
                return boost::none;
            }
            if (n == 0) {  // the file is shorter than promised: fail rather than hang
                ec = boost::asio::error::eof;
                return boost::none;
            }
            sent_ += static_cast<std::uint64_t>(n);
            return {{boost::asio::const_buffer(buf_, static_cast<std::size_t>(n)),
                     sent_ < range_.length}};
        }

      private:
        const value_type& range_;
        std::uint64_t sent_ = 0;
        char buf_[64 * 1024];
    };
};

}  // namespace presign::http::detail
