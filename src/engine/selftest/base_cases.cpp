// SPDX-License-Identifier: GPL-2.0
// Data-driven cases for the engine's base layer: the byte reader and
// writer, checked arithmetic, fallible allocation and text formatting.
// Host unit tests, KUnit and the fuzz seeds all take them from here.
#include "base/byte_reader.h"
#include "base/byte_writer.h"
#include "base/checked.h"
#include "selftest.h"
#include "test_allocator.h"

namespace cma::selftest {
namespace {

constexpr size_t kMaxSteps = 8;

// ---------------------------------------------------------------- reader

enum class ReadOp : uint8_t {
  kDone = 0,
  kU8,
  kU16le,
  kU24le,
  kU32le,
  kU64le,
  kU16be,
  kU32be,
  kBytes,      // arg: count; value: the absolute offset the view starts at
  kSkip,       // arg: count
  kSubU8,      // enter a u8-prefixed field; value: its length
  kSubU16,     // enter a u16le-prefixed field; value: its length
  kSub,        // arg: count; enter the next count bytes
  kLeave,      // back to the enclosing reader
  kExpectEnd,  // the current reader is fully consumed
};

struct ReadStep {
  ReadOp op;
  uint64_t arg;
  uint64_t value;
  // kOk when the step must succeed; otherwise the error and its offset.
  Errc error;
  uint32_t error_offset;
};

struct ReaderCase {
  const char* name;
  RawBytes input;
  ReadStep steps[kMaxSteps];
};

constexpr ReadStep ok(ReadOp op, uint64_t value) { return {op, 0, value, Errc::kOk, 0}; }
constexpr ReadStep ok_arg(ReadOp op, uint64_t arg, uint64_t value) {
  return {op, arg, value, Errc::kOk, 0};
}
constexpr ReadStep fails(ReadOp op, uint64_t arg, Errc error, uint32_t at) {
  return {op, arg, 0, error, at};
}
constexpr ReadStep end() { return {ReadOp::kExpectEnd, 0, 0, Errc::kOk, 0}; }

constexpr ReaderCase kReaderCases[] = {
    {"u8 then end", CMA_RAW("\x7f"), {ok(ReadOp::kU8, 0x7f), end()}},
    {"u16le is little-endian", CMA_RAW("\x34\x12"), {ok(ReadOp::kU16le, 0x1234), end()}},
    {"u24le is little-endian", CMA_RAW("\x56\x34\x12"), {ok(ReadOp::kU24le, 0x123456), end()}},
    {"u32le is little-endian", CMA_RAW("\x78\x56\x34\x12"), {ok(ReadOp::kU32le, 0x12345678), end()}},
    {"u64le is little-endian",
     CMA_RAW("\x08\x07\x06\x05\x04\x03\x02\x01"),
     {ok(ReadOp::kU64le, 0x0102030405060708ull), end()}},
    {"u16be and u32be are big-endian",
     CMA_RAW("\x12\x34\x12\x34\x56\x78"),
     {ok(ReadOp::kU16be, 0x1234), ok(ReadOp::kU32be, 0x12345678), end()}},
    {"u8 on empty input is truncated at 0", CMA_RAW(""), {fails(ReadOp::kU8, 0, Errc::kTruncated, 0)}},
    {"short u32 fails and consumes nothing",
     CMA_RAW("\x01\x02\x03"),
     {fails(ReadOp::kU32le, 0, Errc::kTruncated, 0), ok(ReadOp::kU24le, 0x030201), end()}},
    {"short u16 after u8 reports offset 1",
     CMA_RAW("\xaa\xbb"),
     {ok(ReadOp::kU8, 0xaa), fails(ReadOp::kU16le, 0, Errc::kTruncated, 1), ok(ReadOp::kU8, 0xbb)}},
    {"trailing byte is reported at its offset",
     CMA_RAW("\x01\x02\x03"),
     {ok(ReadOp::kU16le, 0x0201), fails(ReadOp::kExpectEnd, 0, Errc::kTrailingBytes, 2)}},
    {"bytes returns a view at the right offset",
     CMA_RAW("\x00\x01\x02\x03"),
     {ok(ReadOp::kU8, 0), ok_arg(ReadOp::kBytes, 3, 1), end()}},
    {"bytes longer than input fails",
     CMA_RAW("\x00\x01"),
     {fails(ReadOp::kBytes, 3, Errc::kTruncated, 0), ok_arg(ReadOp::kBytes, 2, 0), end()}},
    {"bytes of huge count fails without wrap",
     CMA_RAW("\x00\x01"),
     {ok(ReadOp::kU8, 0), fails(ReadOp::kBytes, ~0ull, Errc::kTruncated, 1)}},
    {"zero-length bytes at the end succeeds", CMA_RAW("\x01"), {ok(ReadOp::kU8, 1), ok_arg(ReadOp::kBytes, 0, 1), end()}},
    {"skip past end fails", CMA_RAW("\x01\x02"), {fails(ReadOp::kSkip, 3, Errc::kTruncated, 0), ok_arg(ReadOp::kSkip, 2, 0), end()}},
    {"u8-prefixed field nests with absolute offsets",
     CMA_RAW("\x02\x34\x12\x99"),
     {ok(ReadOp::kSubU8, 2), ok(ReadOp::kU16le, 0x1234), end(), ok(ReadOp::kLeave, 0), ok(ReadOp::kU8, 0x99), end()}},
    {"error inside a nested field points into the message",
     CMA_RAW("\xff\x03\x01\x02\x03"),
     {ok(ReadOp::kU8, 0xff), ok(ReadOp::kSubU8, 3), ok(ReadOp::kU16le, 0x0201),
      fails(ReadOp::kU16le, 0, Errc::kTruncated, 4)}},
    {"u8 prefix longer than input fails and rewinds",
     CMA_RAW("\x05\x01\x02"),
     {fails(ReadOp::kSubU8, 0, Errc::kTruncated, 1), ok(ReadOp::kU8, 5)}},
    {"u16 prefix of 0xffff on short input fails and rewinds",
     CMA_RAW("\xff\xff\x00"),
     {fails(ReadOp::kSubU16, 0, Errc::kTruncated, 2), ok(ReadOp::kU16le, 0xffff)}},
    {"empty u16-prefixed field", CMA_RAW("\x00\x00\x07"), {ok(ReadOp::kSubU16, 0), end(), ok(ReadOp::kLeave, 0), ok(ReadOp::kU8, 7)}},
    {"trailing bytes inside a field are caught",
     CMA_RAW("\x02\x01\x02"),
     {ok(ReadOp::kSubU8, 2), ok(ReadOp::kU8, 1), fails(ReadOp::kExpectEnd, 0, Errc::kTrailingBytes, 2)}},
    {"sub of exact remainder", CMA_RAW("\x01\x02"), {ok_arg(ReadOp::kSub, 2, 2), ok(ReadOp::kU16le, 0x0201), end(), ok(ReadOp::kLeave, 0), end()}},
};

bool run_reader_case(const ReaderCase& c, TextWriter& message) {
  constexpr size_t kMaxDepth = 4;
  ByteReader stack[kMaxDepth];
  size_t depth = 0;
  Bytes input = c.input.view();
  stack[0] = ByteReader(input);

  for (size_t i = 0; i < kMaxSteps && c.steps[i].op != ReadOp::kDone; ++i) {
    const ReadStep& step = c.steps[i];
    ByteReader& r = stack[depth];
    const size_t offset_before = r.offset();
    const size_t remaining_before = r.remaining();
    bool ok = true;
    Error error;
    uint64_t value = 0;

    auto take = [&](auto result) {
      ok = result.ok();
      if (ok)
        value = result.value();
      else
        error = result.error();
    };
    auto enter = [&](Result<ByteReader> result) {
      ok = result.ok();
      if (!ok) {
        error = result.error();
        return;
      }
      value = result.value().remaining();
      if (depth + 1 < kMaxDepth) stack[++depth] = result.release_value();
    };

    switch (step.op) {
      case ReadOp::kDone: break;
      case ReadOp::kU8: take(r.u8()); break;
      case ReadOp::kU16le: take(r.u16le()); break;
      case ReadOp::kU24le: take(r.u24le()); break;
      case ReadOp::kU32le: take(r.u32le()); break;
      case ReadOp::kU64le: take(r.u64le()); break;
      case ReadOp::kU16be: take(r.u16be()); break;
      case ReadOp::kU32be: take(r.u32be()); break;
      case ReadOp::kBytes: {
        Result<Bytes> view = r.bytes(static_cast<size_t>(step.arg));
        ok = view.ok();
        if (ok) {
          if (view.value().size() != step.arg) {
            message.str("step ").dec(i).str(": view has ").dec(view.value().size()).str(" bytes");
            return false;
          }
          value = static_cast<uint64_t>(view.value().data() - input.data());
        } else {
          error = view.error();
        }
        break;
      }
      case ReadOp::kSkip: {
        Status s = r.skip(static_cast<size_t>(step.arg));
        ok = s.ok();
        error = s.error();
        break;
      }
      case ReadOp::kSubU8: enter(r.sub_u8_prefixed()); break;
      case ReadOp::kSubU16: enter(r.sub_u16le_prefixed()); break;
      case ReadOp::kSub: enter(r.sub(static_cast<size_t>(step.arg))); break;
      case ReadOp::kLeave:
        if (depth == 0) {
          message.str("step ").dec(i).str(": leave at top level");
          return false;
        }
        --depth;
        break;
      case ReadOp::kExpectEnd: {
        Status s = r.expect_end();
        ok = s.ok();
        error = s.error();
        break;
      }
    }

    if (step.error == Errc::kOk) {
      if (!ok) {
        message.str("step ").dec(i).str(": unexpected error ").str(errc_name(error.code)).str(" at ").dec(error.offset);
        return false;
      }
      if (value != step.value) {
        message.str("step ").dec(i).str(": got ").hex(value).str(", want ").hex(step.value);
        return false;
      }
      continue;
    }
    if (ok) {
      message.str("step ").dec(i).str(": succeeded, want ").str(errc_name(step.error));
      return false;
    }
    if (error.code != step.error || error.offset != step.error_offset) {
      message.str("step ").dec(i).str(": error ").str(errc_name(error.code)).str(" at ").dec(error.offset)
          .str(", want ").str(errc_name(step.error)).str(" at ").dec(step.error_offset);
      return false;
    }
    // A failed read must leave the reader exactly where it was.
    if (stack[depth].offset() != offset_before || stack[depth].remaining() != remaining_before) {
      message.str("step ").dec(i).str(": failed read moved the reader from ").dec(offset_before)
          .str(" to ").dec(stack[depth].offset());
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------- writer

enum class WriteOp : uint8_t { kDone = 0, kU8, kU16le, kU24le, kU32le, kU64le, kZeros, kBytes, kReserve16 };

struct WriteStep {
  WriteOp op;
  uint64_t value;  // the integer, or the count for kZeros
};

struct WriterCase {
  const char* name;
  size_t capacity;
  WriteStep steps[kMaxSteps];
  RawBytes expected;          // what finish() returns on success
  bool expect_no_space;       // finish() must fail instead
  uint32_t no_space_offset;   // where the first failing write started
};

constexpr RawBytes kNone = {"", 0};

constexpr WriterCase kWriterCases[] = {
    {"fields are little-endian", 16,
     {{WriteOp::kU8, 0x01}, {WriteOp::kU16le, 0x0302}, {WriteOp::kU24le, 0x060504}, {WriteOp::kU32le, 0x0a090807}},
     CMA_RAW("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"), false, 0},
    {"u64le", 8, {{WriteOp::kU64le, 0x0102030405060708ull}}, CMA_RAW("\x08\x07\x06\x05\x04\x03\x02\x01"), false, 0},
    {"exact fit", 2, {{WriteOp::kU16le, 0xbeef}}, CMA_RAW("\xef\xbe"), false, 0},
    {"one byte over fails at the write's offset", 3, {{WriteOp::kU16le, 1}, {WriteOp::kU16le, 2}}, kNone, true, 2},
    {"errors are sticky: a later small write is ignored", 3,
     {{WriteOp::kU16le, 1}, {WriteOp::kU32le, 2}, {WriteOp::kU8, 3}}, kNone, true, 2},
    {"zeros and bytes", 6, {{WriteOp::kZeros, 2}, {WriteOp::kBytes, 0}}, CMA_RAW("\x00\x00\xde\xad\xbe\xef"), false, 0},
    {"huge zeros fails without wrap", 4, {{WriteOp::kU8, 1}, {WriteOp::kZeros, ~0ull}}, kNone, true, 1},
    {"reserve then fill", 4, {{WriteOp::kReserve16, 0xa55a}, {WriteOp::kU16le, 0x0102}}, CMA_RAW("\x5a\xa5\x02\x01"), false, 0},
    {"zero capacity", 0, {{WriteOp::kU8, 0}}, kNone, true, 0},
    {"nothing written", 4, {}, kNone, false, 0},
};

bool run_writer_case(const WriterCase& c, TextWriter& message) {
  static constexpr uint8_t kPayload[] = {0xde, 0xad, 0xbe, 0xef};
  uint8_t storage[32] = {};
  if (c.capacity > sizeof(storage)) {
    message.str("case capacity too large");
    return false;
  }
  ByteWriter w(MutableBytes(storage, c.capacity));
  for (size_t i = 0; i < kMaxSteps && c.steps[i].op != WriteOp::kDone; ++i) {
    const WriteStep& s = c.steps[i];
    switch (s.op) {
      case WriteOp::kDone: break;
      case WriteOp::kU8: w.u8(static_cast<uint8_t>(s.value)); break;
      case WriteOp::kU16le: w.u16le(static_cast<uint16_t>(s.value)); break;
      case WriteOp::kU24le: w.u24le(static_cast<uint32_t>(s.value)); break;
      case WriteOp::kU32le: w.u32le(static_cast<uint32_t>(s.value)); break;
      case WriteOp::kU64le: w.u64le(s.value); break;
      case WriteOp::kZeros: w.zeros(static_cast<size_t>(s.value)); break;
      case WriteOp::kBytes: w.bytes(Bytes(kPayload, sizeof(kPayload))); break;
      case WriteOp::kReserve16: {
        MutableBytes slot = w.reserve(2);
        if (slot.size() == 2) {
          slot[0] = static_cast<uint8_t>(s.value);
          slot[1] = static_cast<uint8_t>(s.value >> 8);
        }
        break;
      }
    }
  }
  Result<Bytes> out = w.finish();
  if (c.expect_no_space) {
    if (out.ok()) {
      message.str("finish succeeded with ").dec(out.value().size()).str(" bytes, want no-space");
      return false;
    }
    if (out.error().code != Errc::kNoSpace || out.error().offset != c.no_space_offset) {
      message.str("error ").str(errc_name(out.error().code)).str(" at ").dec(out.error().offset)
          .str(", want no-space at ").dec(c.no_space_offset);
      return false;
    }
    return true;
  }
  if (!out.ok()) {
    message.str("unexpected ").str(errc_name(out.error().code)).str(" at ").dec(out.error().offset);
    return false;
  }
  if (!equal_bytes(out.value(), c.expected.view())) {
    message.str("wrote ").hex_bytes(out.value()).str(", want ").hex_bytes(c.expected.view());
    return false;
  }
  return true;
}

// ------------------------------------------------------------- arithmetic

enum class ArithOp : uint8_t { kAdd8, kAdd16, kAdd32, kAdd64, kSub32, kMul16, kMul32, kMul64, kNarrow8, kNarrow16, kAlign };

struct ArithCase {
  const char* name;
  ArithOp op;
  uint64_t a;
  uint64_t b;
  bool overflows;  // kOverflow (kInvalidArgument for a bad alignment)
  uint64_t value;
};

constexpr ArithCase kArithCases[] = {
    {"u8 add in range", ArithOp::kAdd8, 200, 55, false, 255},
    {"u8 add wraps", ArithOp::kAdd8, 200, 56, true, 0},
    {"u16 portion+remainder at the limit", ArithOp::kAdd16, 0x8000, 0x7fff, false, 0xffff},
    {"u16 portion+remainder wraps", ArithOp::kAdd16, 0xfff0, 0x0020, true, 0},
    {"u32 add wraps", ArithOp::kAdd32, 0xffffffffu, 1, true, 0},
    {"u64 add wraps", ArithOp::kAdd64, ~0ull, 1, true, 0},
    {"u32 sub below zero", ArithOp::kSub32, 1, 2, true, 0},
    {"u32 sub to zero", ArithOp::kSub32, 7, 7, false, 0},
    {"u16 count*size wraps", ArithOp::kMul16, 0x100, 0x100, true, 0},
    {"u32 count*size in range", ArithOp::kMul32, 0xffff, 0x10001, false, 0xffffffffu},
    {"u32 count*size wraps", ArithOp::kMul32, 0x10000, 0x10000, true, 0},
    {"u64 mul wraps", ArithOp::kMul64, 1ull << 32, 1ull << 32, true, 0},
    {"narrow 255 to u8", ArithOp::kNarrow8, 255, 0, false, 255},
    {"narrow 256 to u8 fails", ArithOp::kNarrow8, 256, 0, true, 0},
    {"narrow 65536 to u16 fails", ArithOp::kNarrow16, 65536, 0, true, 0},
    {"align 5 to dwords", ArithOp::kAlign, 5, 4, false, 8},
    {"align 8 to dwords", ArithOp::kAlign, 8, 4, false, 8},
    {"align near the top wraps", ArithOp::kAlign, ~0ull - 1, 4, true, 0},
    {"alignment not a power of two", ArithOp::kAlign, 5, 3, true, 0},
};

template <class T>
bool check_arith(const ArithCase& c, Result<T> r, TextWriter& message) {
  if (c.overflows) {
    if (r.ok()) {
      message.str("got ").hex(r.value()).str(", want an error");
      return false;
    }
    Errc want = c.op == ArithOp::kAlign && c.b == 3 ? Errc::kInvalidArgument : Errc::kOverflow;
    if (r.error().code != want) {
      message.str("error ").str(errc_name(r.error().code)).str(", want ").str(errc_name(want));
      return false;
    }
    return true;
  }
  if (!r.ok()) {
    message.str("unexpected ").str(errc_name(r.error().code));
    return false;
  }
  if (static_cast<uint64_t>(r.value()) != c.value) {
    message.str("got ").hex(r.value()).str(", want ").hex(c.value);
    return false;
  }
  return true;
}

bool run_arith_case(const ArithCase& c, TextWriter& message) {
  switch (c.op) {
    case ArithOp::kAdd8: return check_arith(c, checked_add<uint8_t>(c.a, c.b), message);
    case ArithOp::kAdd16: return check_arith(c, checked_add<uint16_t>(c.a, c.b), message);
    case ArithOp::kAdd32: return check_arith(c, checked_add<uint32_t>(c.a, c.b), message);
    case ArithOp::kAdd64: return check_arith(c, checked_add<uint64_t>(c.a, c.b), message);
    case ArithOp::kSub32: return check_arith(c, checked_sub<uint32_t>(c.a, c.b), message);
    case ArithOp::kMul16: return check_arith(c, checked_mul<uint16_t>(c.a, c.b), message);
    case ArithOp::kMul32: return check_arith(c, checked_mul<uint32_t>(c.a, c.b), message);
    case ArithOp::kMul64: return check_arith(c, checked_mul<uint64_t>(c.a, c.b), message);
    case ArithOp::kNarrow8: return check_arith(c, checked_narrow<uint8_t>(c.a), message);
    case ArithOp::kNarrow16: return check_arith(c, checked_narrow<uint16_t>(c.a), message);
    case ArithOp::kAlign: return check_arith(c, checked_align_up(c.a, c.b), message);
  }
  message.str("unknown op");
  return false;
}

// ------------------------------------------------------------- allocation

enum class AllocScenario : uint8_t {
  kBufferZeroFilled,
  kBufferCopy,
  kBufferMoveFreesOnce,
  kOwnedDestroysOnce,
  kZeroSizeNeedsNoMemory,
};

struct AllocCase {
  const char* name;
  AllocScenario scenario;
  size_t budget;  // allocations the test allocator grants
  size_t size;
  bool expect_no_memory;
};

constexpr AllocCase kAllocCases[] = {
    {"buffer is zero-filled", AllocScenario::kBufferZeroFilled, 1, 4096, false},
    {"buffer fails cleanly without memory", AllocScenario::kBufferZeroFilled, 0, 64, true},
    {"copy_of copies", AllocScenario::kBufferCopy, 1, 5, false},
    {"copy_of fails cleanly without memory", AllocScenario::kBufferCopy, 0, 5, true},
    {"moved buffer is freed once", AllocScenario::kBufferMoveFreesOnce, 2, 32, false},
    {"owned object destroyed and freed once", AllocScenario::kOwnedDestroysOnce, 1, 0, false},
    {"make_owned fails cleanly without memory", AllocScenario::kOwnedDestroysOnce, 0, 0, true},
    {"zero-size buffer allocates nothing", AllocScenario::kZeroSizeNeedsNoMemory, 0, 0, false},
};

struct Tracked {
  explicit Tracked(int* destroyed) : destroyed_(destroyed) {}
  ~Tracked() { ++*destroyed_; }
  int* destroyed_;
};

bool run_alloc_scenario(const AllocCase& c, TestAllocator& allocator, TextWriter& message) {
  switch (c.scenario) {
    case AllocScenario::kBufferZeroFilled: {
      Result<ByteBuffer> buffer = ByteBuffer::create(allocator, c.size);
      if (c.expect_no_memory) {
        if (buffer.ok() || buffer.error().code != Errc::kNoMemory) {
          message.str("want no-memory");
          return false;
        }
        return true;
      }
      if (!buffer.ok() || buffer.value().size() != c.size) {
        message.str("create failed or wrong size");
        return false;
      }
      for (uint8_t byte : buffer.value().view()) {
        if (byte != 0) {
          message.str("buffer not zero-filled");
          return false;
        }
      }
      return true;
    }
    case AllocScenario::kBufferCopy: {
      static constexpr uint8_t kData[] = {1, 2, 3, 4, 5};
      Result<ByteBuffer> buffer = ByteBuffer::copy_of(allocator, Bytes(kData, c.size));
      if (c.expect_no_memory) {
        if (buffer.ok() || buffer.error().code != Errc::kNoMemory) {
          message.str("want no-memory");
          return false;
        }
        return true;
      }
      if (!buffer.ok() || !equal_bytes(buffer.value().view(), Bytes(kData, c.size))) {
        message.str("copy differs");
        return false;
      }
      return true;
    }
    case AllocScenario::kBufferMoveFreesOnce: {
      Result<ByteBuffer> a = ByteBuffer::create(allocator, c.size);
      Result<ByteBuffer> b = ByteBuffer::create(allocator, c.size);
      if (!a.ok() || !b.ok()) {
        message.str("create failed");
        return false;
      }
      ByteBuffer first = a.release_value();
      ByteBuffer second = b.release_value();
      first = move(second);  // frees first's block, takes second's
      if (allocator.live() != 1 || !second.empty() || first.size() != c.size) {
        message.str("after move: ").dec(allocator.live()).str(" live blocks, want 1");
        return false;
      }
      return true;
    }
    case AllocScenario::kOwnedDestroysOnce: {
      int destroyed = 0;
      {
        Result<Owned<Tracked>> owned = make_owned<Tracked>(allocator, &destroyed);
        if (c.expect_no_memory) {
          if (owned.ok() || owned.error().code != Errc::kNoMemory) {
            message.str("want no-memory");
            return false;
          }
          return destroyed == 0;
        }
        if (!owned.ok()) {
          message.str("make_owned failed");
          return false;
        }
        Owned<Tracked> moved = owned.release_value();
        Owned<Tracked> target;
        target = move(moved);
      }
      if (destroyed != 1) {
        message.str("destroyed ").dec(destroyed).str(" times, want 1");
        return false;
      }
      return true;
    }
    case AllocScenario::kZeroSizeNeedsNoMemory: {
      Result<ByteBuffer> buffer = ByteBuffer::create(allocator, 0);
      if (!buffer.ok() || !buffer.value().empty()) {
        message.str("zero-size create failed");
        return false;
      }
      return true;
    }
  }
  message.str("unknown scenario");
  return false;
}

bool run_alloc_case(const AllocCase& c, Allocator& backing, TextWriter& message) {
  TestAllocator allocator(backing, c.budget);
  bool passed = run_alloc_scenario(c, allocator, message);
  // Every path, failing ones included, must give back all it took.
  if (passed && allocator.live() != 0) {
    message.str(", ").dec(allocator.live()).str(" blocks leaked");
    return false;
  }
  return passed;
}

// ------------------------------------------------------------------- text

enum class TextOp : uint8_t { kDone = 0, kStr, kDec, kHex, kHex8, kHexBytes };

struct TextStep {
  TextOp op;
  uint64_t value;
  const char* text;
};

struct TextCase {
  const char* name;
  size_t size;
  TextStep steps[kMaxSteps];
  const char* expected;
  bool truncated;
};

constexpr TextCase kTextCases[] = {
    {"decimal and text", 64, {{TextOp::kStr, 0, "n="}, {TextOp::kDec, 0, nullptr}, {TextOp::kStr, 0, " m="}, {TextOp::kDec, 18446744073709551615ull, nullptr}},
     "n=0 m=18446744073709551615", false},
    {"hex with and without padding", 64, {{TextOp::kHex, 0xbeef, nullptr}, {TextOp::kStr, 0, " "}, {TextOp::kHex8, 0x2a, nullptr}}, "0xbeef 0x0000002a", false},
    {"hex bytes", 64, {{TextOp::kHexBytes, 0, nullptr}}, "00ff10", false},
    {"truncation is marked", 8, {{TextOp::kStr, 0, "certificate"}}, "cert...", true},
    {"exact fit is not truncated", 5, {{TextOp::kStr, 0, "abcd"}}, "abcd", false},
    {"one-byte buffer holds only the terminator", 1, {{TextOp::kStr, 0, "x"}}, "", true},
};

bool run_text_case(const TextCase& c, TextWriter& message) {
  static constexpr uint8_t kBytesData[] = {0x00, 0xff, 0x10};
  char storage[64];
  TextWriter t(storage, c.size);
  for (size_t i = 0; i < kMaxSteps && c.steps[i].op != TextOp::kDone; ++i) {
    const TextStep& s = c.steps[i];
    switch (s.op) {
      case TextOp::kDone: break;
      case TextOp::kStr: t.str(s.text); break;
      case TextOp::kDec: t.dec(s.value); break;
      case TextOp::kHex: t.hex(s.value); break;
      case TextOp::kHex8: t.hex(s.value, 8); break;
      case TextOp::kHexBytes: t.hex_bytes(Bytes(kBytesData, sizeof(kBytesData))); break;
    }
  }
  const char* want = c.expected;
  size_t i = 0;
  for (; want[i] && storage[i] == want[i]; ++i) {
  }
  if (want[i] != storage[i] || t.truncated() != c.truncated || t.length() != i) {
    message.str("got \"").str(storage).str("\"").str(t.truncated() ? " (truncated)" : "")
        .str(", want \"").str(want).str("\"");
    return false;
  }
  return true;
}

// --------------------------------------------------------------- registry

template <class T, size_t N>
constexpr size_t count_of(const T (&)[N]) {
  return N;
}

constexpr size_t kReaderCount = count_of(kReaderCases);
constexpr size_t kWriterCount = count_of(kWriterCases);
constexpr size_t kArithCount = count_of(kArithCases);
constexpr size_t kAllocCount = count_of(kAllocCases);
constexpr size_t kTextCount = count_of(kTextCases);

size_t base_count() { return kReaderCount + kWriterCount + kArithCount + kAllocCount + kTextCount; }

CaseRef base_describe(size_t i) {
  if (i < kReaderCount) return {"reader", kReaderCases[i].name};
  i -= kReaderCount;
  if (i < kWriterCount) return {"writer", kWriterCases[i].name};
  i -= kWriterCount;
  if (i < kArithCount) return {"checked", kArithCases[i].name};
  i -= kArithCount;
  if (i < kAllocCount) return {"alloc", kAllocCases[i].name};
  i -= kAllocCount;
  if (i < kTextCount) return {"text", kTextCases[i].name};
  return {"", ""};
}

bool base_run(size_t i, Allocator& allocator, TextWriter& message) {
  if (i < kReaderCount) return run_reader_case(kReaderCases[i], message);
  i -= kReaderCount;
  if (i < kWriterCount) return run_writer_case(kWriterCases[i], message);
  i -= kWriterCount;
  if (i < kArithCount) return run_arith_case(kArithCases[i], message);
  i -= kArithCount;
  if (i < kAllocCount) return run_alloc_case(kAllocCases[i], allocator, message);
  i -= kAllocCount;
  if (i < kTextCount) return run_text_case(kTextCases[i], message);
  message.str("no such case");
  return false;
}

}  // namespace

constexpr Area kBaseArea = {"base", base_count, base_describe, base_run};

}  // namespace cma::selftest
