// cpu_cache.cpp: a CPU allocator that keeps large freed buffers for reuse (family tffm_cpu_cache_).
//
// Why: LibTorch's default CPU allocator is malloc. A training step frees its activation buffers and
// asks for the same sizes again in the next step. Long-lived allocations made in between (LibTorch's
// profiler events, measured; the JVM's or the caller's, possible) land in the holes the freed buffers
// leave; the holes are then too fragmented for the next step's buffers, the heap grows at its top
// instead, and every step writes its largest activations into fresh pages, taking a page fault each
// 4 KiB (profiled: 300 000-780 000 faults per 3 s, the first sigmoid 3.5x slower; bench/README.md).
// Keeping the buffers for reuse makes each step write into the pages of the last one.
//
// Memory: buffers are cached by exact size (rounded to pages). The cache holds at most the peak of
// live bytes (at least kMinCap) and frees the least recently freed buffers beyond that, so the
// process holds at most twice the tensor memory it needed at its peak; trim() frees the rest, and
// an allocation that fails frees the cache and tries again.
#include "shim.h"

#include <c10/core/CPUAllocator.h>
#include <torch/version.h>

#include <algorithm>
#include <list>
#include <mutex>
#include <unordered_map>

namespace {

// Below this, malloc's bins serve well and reuse is cheap; above kMaxCached, a buffer is rare enough
// (a dataset, a checkpoint) that holding it after its tensor dies would only waste memory.
constexpr size_t kMinCached = 128 * 1024;
constexpr size_t kMaxCached = 64 * 1024 * 1024;
constexpr size_t kPage = 4096;
// The cache holds at most the peak of live bytes, or this much when that is less: a training step
// needs its whole set of sizes cached, and evicting part of it makes the next step miss again.
constexpr size_t kMinCap = 64 * 1024 * 1024;

void cached_delete(void *ptr);

class CachingCpuAllocator final : public c10::Allocator {
  public:
    explicit CachingCpuAllocator(c10::Allocator *backing) : backing_(backing) {}

#if TORCH_VERSION_MAJOR >= 2
    c10::DataPtr allocate(size_t n) override { return allocate_impl(n); }
    void copy_data(void *dest, const void *src, std::size_t count) const override {
        default_copy_data(dest, src, count);
    }
#else
    c10::DataPtr allocate(size_t n) const override { return allocate_impl(n); }
#endif
    c10::DeleterFnPtr raw_deleter() const override { return &cached_delete; }

    void release(void *ptr) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = live_.find(ptr);
        if (it == live_.end()) { // a small buffer handed out by the backing allocator (raw path)
            backing_->raw_deallocate(ptr);
            return;
        }
        size_t size = it->second;
        live_.erase(it);
        live_bytes_ -= size;
        if (size > kMaxCached || !enabled_) {
            backing_->raw_deallocate(ptr);
            return;
        }
        lru_.push_back(Block{ptr, size});
        by_size_[size].push_back(std::prev(lru_.end()));
        cached_bytes_ += size;
        size_t cap = std::max(peak_live_, kMinCap);
        if (cached_bytes_ > cap) evict(cached_bytes_ - cap);
    }

    // Returns every cached buffer to malloc.
    void trim() {
        std::lock_guard<std::mutex> lock(mutex_);
        evict(cached_bytes_);
    }

    void set_enabled(bool on) {
        std::lock_guard<std::mutex> lock(mutex_);
        enabled_ = on;
        if (!on) evict(cached_bytes_);
    }

    int64_t stat(int32_t which) {
        std::lock_guard<std::mutex> lock(mutex_);
        switch (which) {
        case TFFM_CPU_CACHE_CACHED_BYTES: return static_cast<int64_t>(cached_bytes_);
        case TFFM_CPU_CACHE_LIVE_BYTES: return static_cast<int64_t>(live_bytes_);
        case TFFM_CPU_CACHE_HITS: return hits_;
        case TFFM_CPU_CACHE_MISSES: return misses_;
        default: return -1;
        }
    }

  private:
    struct Block {
        void *ptr;
        size_t size;
    };

    c10::DataPtr allocate_impl(size_t n) const {
        return const_cast<CachingCpuAllocator *>(this)->take(n);
    }

    c10::DataPtr take(size_t n) {
        if (n < kMinCached) return backing_->allocate(n);
        size_t size = (n + kPage - 1) / kPage * kPage;
        std::lock_guard<std::mutex> lock(mutex_);
        void *ptr = nullptr;
        auto bucket = by_size_.find(size);
        if (bucket != by_size_.end() && !bucket->second.empty()) {
            auto block = bucket->second.back(); // the most recently freed: likeliest still in cache
            bucket->second.pop_back();
            ptr = block->ptr;
            lru_.erase(block);
            cached_bytes_ -= size;
            ++hits_;
        } else {
            ++misses_;
            try {
                ptr = backing_->raw_allocate(size);
            } catch (const c10::Error &) { // out of memory: what the cache holds may be enough
                evict(cached_bytes_);
                ptr = backing_->raw_allocate(size);
            }
        }
        live_.emplace(ptr, size);
        live_bytes_ += size;
        peak_live_ = std::max(peak_live_, live_bytes_);
        return {ptr, ptr, &cached_delete, c10::Device(c10::DeviceType::CPU)};
    }

    // Frees at least `bytes` of cached buffers, least recently freed first. Caller holds mutex_.
    void evict(size_t bytes) {
        size_t freed = 0;
        while (freed < bytes && !lru_.empty()) {
            Block b = lru_.front();
            auto &list = by_size_[b.size];
            for (auto it = list.begin(); it != list.end(); ++it) {
                if (*it == lru_.begin()) {
                    list.erase(it);
                    break;
                }
            }
            lru_.pop_front();
            backing_->raw_deallocate(b.ptr);
            cached_bytes_ -= b.size;
            freed += b.size;
        }
    }

    c10::Allocator *backing_;
    std::mutex mutex_;
    bool enabled_ = true;
    std::unordered_map<void *, size_t> live_;
    std::list<Block> lru_; // cached buffers, least recently freed first
    std::unordered_map<size_t, std::vector<std::list<Block>::iterator>> by_size_;
    size_t live_bytes_ = 0, cached_bytes_ = 0, peak_live_ = 0;
    int64_t hits_ = 0, misses_ = 0;
};

// Never destroyed: tensors freed during static destruction still call its deleter.
CachingCpuAllocator *cache() {
    static auto *instance = new CachingCpuAllocator(c10::GetDefaultCPUAllocator());
    return instance;
}

void cached_delete(void *ptr) { cache()->release(ptr); }

std::mutex install_mutex;
c10::Allocator *before = nullptr; // what GetCPUAllocator returned before the cache was installed

} // namespace

using namespace tffm;

extern "C" {

int32_t tffm_cpu_cache_enable(tffm_ctx *ctx, int32_t enable) {
    return guard(ctx, [&] {
        std::lock_guard<std::mutex> lock(install_mutex);
        CachingCpuAllocator *c = cache();
        bool installed = c10::GetCPUAllocator() == c;
        if (enable != 0 && !installed) {
            before = c10::GetCPUAllocator();
            c->set_enabled(true);
            c10::SetCPUAllocator(c, /*priority=*/0);
        } else if (enable == 0 && installed) {
            // Buffers handed out so far keep this allocator's deleter; it frees them uncached now.
            c->set_enabled(false);
            c10::SetCPUAllocator(before, /*priority=*/0);
        }
    });
}

int32_t tffm_cpu_cache_enabled(void) { return c10::GetCPUAllocator() == cache() ? 1 : 0; }

void tffm_cpu_cache_trim(void) { cache()->trim(); }

int64_t tffm_cpu_cache_stat(int32_t which) { return cache()->stat(which); }

} // extern "C"
