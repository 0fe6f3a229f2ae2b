// Asio's TLS layer compiled once, for the s3client transport. The rest of Asio and Beast is
// compiled once in http/asio_impl.cpp (this library links presign_http for it and shares its
// BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION definitions).
#include <boost/asio/ssl/impl/src.hpp>
