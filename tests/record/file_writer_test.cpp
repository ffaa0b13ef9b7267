#include "pmx/record/file_writer.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include <gtest/gtest.h>
#include <sys/resource.h>

#include "record_test_util.h"

namespace pmx::record {
namespace {

using record_test::file_bytes;
using record_test::ScratchDir;

// Writes three buffers of distinct bytes and closes.
void write_three(FileWriter& writer, const std::string& path) {
  ASSERT_EQ(writer.open(path), RecordError::ok);
  for (char c : {'a', 'b', 'c'}) {
    std::span<char> buffer = writer.buffer();
    if (buffer.empty()) {
      writer.drain();
      buffer = writer.buffer();
    }
    ASSERT_FALSE(buffer.empty());
    const size_t n = c == 'b' ? 100 : 4096;
    std::memset(buffer.data(), c, n);
    ASSERT_EQ(writer.submit(n), RecordError::ok);
  }
  ASSERT_EQ(writer.close(), RecordError::ok);
}

TEST(FileWriter, IoUringAndPwriteWriteTheSameBytes) {
  ScratchDir dir;
  FileWriter uring(IoBackend::io_uring, 2, 4096);
  FileWriter plain(IoBackend::pwrite, 2, 4096);
  write_three(uring, dir / "uring");
  write_three(plain, dir / "plain");
  const std::string expected = std::string(4096, 'a') + std::string(100, 'b') + std::string(4096, 'c');
  EXPECT_EQ(file_bytes(dir / "uring"), expected);
  EXPECT_EQ(file_bytes(dir / "plain"), expected);
  EXPECT_EQ(uring.bytes_written(), expected.size());
  EXPECT_EQ(uring.write_errors(), 0u);
}

TEST(FileWriter, UsesIoUringWhenTheKernelAllowsIt) {
  FileWriter writer(IoBackend::io_uring, 4, 1024);
  if (writer.backend() == IoBackend::pwrite)
    GTEST_SKIP() << "io_uring blocked here: " << writer.fallback_reason();
  EXPECT_TRUE(writer.fallback_reason().empty());
}

TEST(FileWriter, PwriteBackendHasNoFallbackReason) {
  FileWriter writer(IoBackend::pwrite, 4, 1024);
  EXPECT_EQ(writer.backend(), IoBackend::pwrite);
  EXPECT_TRUE(writer.fallback_reason().empty());
}

TEST(FileWriter, HasNoFreeBufferWhileEveryWriteIsUnreaped) {
  ScratchDir dir;
  FileWriter writer(IoBackend::io_uring, 2, 1024);
  if (writer.backend() == IoBackend::pwrite)
    GTEST_SKIP() << "io_uring blocked here: " << writer.fallback_reason();
  ASSERT_EQ(writer.open(dir / "f"), RecordError::ok);
  for (int i = 0; i < 2; ++i) {
    ASSERT_FALSE(writer.buffer().empty());
    ASSERT_EQ(writer.submit(10), RecordError::ok);
  }
  EXPECT_TRUE(writer.buffer().empty());
  EXPECT_EQ(writer.in_flight(), 2u);
  writer.drain();
  EXPECT_FALSE(writer.buffer().empty());
}

TEST(FileWriter, NeverOverwritesAnExistingFile) {
  ScratchDir dir;
  { std::ofstream(dir / "taken") << "keep"; }
  FileWriter writer(IoBackend::pwrite, 2, 1024);
  EXPECT_EQ(writer.open(dir / "taken"), RecordError::open_failed);
  EXPECT_EQ(writer.last_errno(), EEXIST);
  EXPECT_EQ(file_bytes(dir / "taken"), "keep");
}

TEST(FileWriter, RefusesASubmitWithoutABuffer) {
  ScratchDir dir;
  FileWriter writer(IoBackend::pwrite, 2, 1024);
  ASSERT_EQ(writer.open(dir / "f"), RecordError::ok);
  EXPECT_EQ(writer.submit(10), RecordError::no_buffer);
}

TEST(FileWriter, RefusesASubmitLargerThanItsBuffer) {
  ScratchDir dir;
  FileWriter writer(IoBackend::pwrite, 2, 1024);
  ASSERT_EQ(writer.open(dir / "f"), RecordError::ok);
  ASSERT_FALSE(writer.buffer().empty());
  EXPECT_EQ(writer.submit(2048), RecordError::no_buffer);
}

// RLIMIT_FSIZE makes writes past 1000 bytes fail with EFBIG (SIGXFSZ ignored), as a full disk
// would; the limit is restored before the test ends.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &previous_);
    rlimit limit = previous_;
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &previous_);
    std::signal(SIGXFSZ, previous_handler_);
  }

 private:
  rlimit previous_{};
  void (*previous_handler_)(int) = nullptr;
};

void expect_write_error_counted(IoBackend backend) {
  ScratchDir dir;
  FileWriter writer(backend, 2, 4096);
  ASSERT_EQ(writer.open(dir / "f"), RecordError::ok);
  {
    FileSizeLimit limit(1000);
    std::span<char> buffer = writer.buffer();
    std::memset(buffer.data(), 'x', 4096);
    (void)writer.submit(4096);
    writer.drain();
  }
  EXPECT_EQ(writer.write_errors(), 1u);
  EXPECT_EQ(writer.last_errno(), EFBIG);
  EXPECT_EQ(writer.bytes_written(), 0u);
  EXPECT_FALSE(writer.buffer().empty()) << "the failed buffer is free again";
}

TEST(FileWriter, CountsAWriteTheFileSystemRefusesWithPwrite) {
  expect_write_error_counted(IoBackend::pwrite);
}

TEST(FileWriter, CountsAWriteTheFileSystemRefusesWithIoUring) {
  expect_write_error_counted(IoBackend::io_uring);
}

}  // namespace
}  // namespace pmx::record
