#pragma once
// The CRCs S3 offers as additional checksums (x-amz-checksum-crc32 / -crc32c / -crc64nvme),
// computed incrementally so a streamed body is checksummed chunk by chunk:
//
//   std::uint32_t c = 0;  for (chunk : body) c = crc32_update(c, chunk);
//
// All three are reflected CRCs with all-ones initial value and final xor (the update functions
// apply both, so 0 is the start and chaining needs nothing else):
//   CRC-32      polynomial 0x04C11DB7 (reflected 0xEDB88320)           zlib, Ethernet
//   CRC-32C     polynomial 0x1EDC6F41 (reflected 0x82F63B78)           iSCSI, Castagnoli
//   CRC-64/NVME polynomial 0xAD93D23594C93659 (reflected 0x9A6C9329AC4BC9B5)
// S3 sends each as the base64 of its big-endian bytes.
//
// Hand-written rather than taken from zlib: zlib has CRC-32 only, and S3 needs all three with
// one interface. Slicing-by-8 tables (8 bytes per step) in software; CRC-32C uses the SSE4.2
// crc32 instruction when the CPU has it (about 10x faster).

#include <cstdint>
#include <string_view>

namespace presign::core {

/// CRC-32 of `bytes` continuing from `crc` (0 to start).
std::uint32_t crc32_update(std::uint32_t crc, std::string_view bytes) noexcept;

/// CRC-32C (Castagnoli) of `bytes` continuing from `crc` (0 to start).
std::uint32_t crc32c_update(std::uint32_t crc, std::string_view bytes) noexcept;

/// CRC-64/NVME of `bytes` continuing from `crc` (0 to start).
std::uint64_t crc64nvme_update(std::uint64_t crc, std::string_view bytes) noexcept;

}  // namespace presign::core
