// A single-producer, single-consumer ring of datagrams in memory it is
// given: whoever reads the kernel socket (the event loop or the reader
// thread, one at a time) receives into it in place; the event loop hands
// views of it to JavaScript and gives the bytes back after. No lock
// between producer and consumer, no allocation. Positions count bytes
// from the start and never wrap (2^64 bytes), so empty and full are
// never confused.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace kb {

class DatagramRing {
 public:
  // Each record: u32 length, u32 kind, then the datagram, padded to 8 bytes.
  static constexpr size_t kHeadBytes = 8;
  static constexpr size_t Align(size_t n) { return (n + 7) & ~static_cast<size_t>(7); }
  // The smallest ring that always has room for one more record of `room`
  // bytes once the consumer has given everything back, wherever the
  // producer stands: the record may need to start over at the beginning.
  static constexpr size_t MinCapacity(size_t room) { return 2 * (kHeadBytes + Align(room)); }

  // memory: `capacity` bytes, 8-byte aligned, capacity a multiple of 8 and
  // at least MinCapacity(room). room: what one Reserve() must offer.
  DatagramRing(uint8_t *memory, size_t capacity, size_t room)
      : memory_(memory), capacity_(capacity), room_(room), record_(kHeadBytes + Align(room)) {}

  size_t capacity() const { return capacity_; }
  size_t room() const { return room_; }

  // Producer (one at a time: a lock may hand the role over). Contiguous
  // room for one datagram of up to room() bytes, or nullptr while the ring
  // is too full for it.
  uint8_t *Reserve() {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    const uint64_t used = head - tail_.load(std::memory_order_acquire);
    const size_t at = static_cast<size_t>(head % capacity_);
    const size_t to_end = capacity_ - at;
    // Empty: start over at the beginning, whose bytes are still in the
    // CPU's cache from the last time; at a steady pace every datagram then
    // lands in the same few kilobytes rather than cold ones across the ring.
    const bool restart = used == 0 && at != 0 && to_end + record_ <= capacity_;
    if (to_end >= record_ && !restart) {
      if (capacity_ - used < record_) return nullptr;
      reserved_at_ = at;
      return memory_ + at + kHeadBytes;
    }
    // Too close to the end, or empty: a wrap record sends the reader to the start.
    if (capacity_ - used < to_end + record_) return nullptr;
    WriteHead(at, 0, kWrap);
    head_.store(head + to_end, std::memory_order_release);
    reserved_at_ = 0;
    return memory_ + kHeadBytes;
  }

  // Publishes the datagram written into the last Reserve(): length <= room().
  void Commit(size_t length) {
    WriteHead(reserved_at_, static_cast<uint32_t>(length), kDatagram);
    head_.store(head_.load(std::memory_order_relaxed) + kHeadBytes + Align(length), std::memory_order_release);
  }

  // Consumer. Reading starts at Begin() and moves a cursor of the caller's;
  // nothing is given back until Release(), so views stay valid until then.
  uint64_t Begin() const { return tail_.load(std::memory_order_relaxed); }

  // The next published datagram after *cursor: its offset in the memory
  // and its length. False when there is none (yet).
  bool Next(uint64_t *cursor, size_t *offset, size_t *length) const {
    const uint64_t head = head_.load(std::memory_order_acquire);
    while (*cursor != head) {
      const size_t at = static_cast<size_t>(*cursor % capacity_);
      uint32_t len, kind;
      std::memcpy(&len, memory_ + at, 4);
      std::memcpy(&kind, memory_ + at + 4, 4);
      if (kind == kWrap) {
        *cursor += capacity_ - at;
        continue;
      }
      *offset = at + kHeadBytes;
      *length = len;
      *cursor += kHeadBytes + Align(len);
      return true;
    }
    return false;
  }

  // Gives back everything before cursor.
  void Release(uint64_t cursor) { tail_.store(cursor, std::memory_order_release); }

  // Bytes published and not given back (either side may ask).
  size_t Backlog() const {
    return static_cast<size_t>(head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire));
  }

 private:
  static constexpr uint32_t kDatagram = 0;
  static constexpr uint32_t kWrap = 1;

  void WriteHead(size_t at, uint32_t length, uint32_t kind) {
    std::memcpy(memory_ + at, &length, 4);
    std::memcpy(memory_ + at + 4, &kind, 4);
  }

  uint8_t *const memory_;
  const size_t capacity_;
  const size_t room_;
  const size_t record_;
  // Written by the producer only; read by both. Each side's on a cache
  // line of its own, so one side's writes do not stall the other's reads.
  alignas(64) std::atomic<uint64_t> head_{0};
  size_t reserved_at_ = 0;
  // Written by the consumer only; read by both.
  alignas(64) std::atomic<uint64_t> tail_{0};
};

}  // namespace kb
