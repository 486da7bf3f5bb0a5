// distributed.cpp: the tffm_pg_ family, data-parallel collectives on PyTorch's c10d.
//
// Nothing here talks to a socket or sums a buffer itself: the rendezvous is c10d's TCPStore and
// every collective is a c10d process group's (Gloo for CPU tensors, NCCL for CUDA tensors). This
// file adds the checks that turn c10d's failures into one clear message each (a port in use, an
// unreachable master, ranks that disagree on the world size, a peer that died) and the flattening
// that makes gradient averaging one collective per bucket instead of one per parameter.
#include "shim.h"

#include <type_traits>

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>
#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#endif
#ifdef TFFM_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef TFFM_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <unistd.h>

// LibTorch 2.x split the collective interface (c10d::Backend) from the ProcessGroup dispatcher;
// in 1.13 each backend is a ProcessGroup. The collective calls used here are the same on both.
#if TORCH_VERSION_MAJOR >= 2
using tffm_collectives = c10d::Backend;
#else
using tffm_collectives = c10d::ProcessGroup;
#endif

struct tffm_pg {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<tffm_collectives> group;
    int32_t rank;
    int32_t size;
    int32_t backend;
    std::chrono::milliseconds timeout;
    std::vector<std::string> peers; // "host pid" of every rank, to name the one that died
};

namespace {

// A failure of the group (as opposed to a bad argument): reported as TFFM_ERR_DISTRIBUTED.
struct dist_failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string what_of(const std::exception &e) {
    if (auto *c = dynamic_cast<const c10::Error *>(&e)) return tffm::brief(*c);
    return e.what();
}

// As tffm::guard, but every failure other than a bad argument is a distributed failure.
template <typename F> int32_t pg_guard(tffm_ctx *ctx, F &&body) {
    if (ctx == nullptr) return TFFM_ERR_INVALID_ARGUMENT;
    try {
        at::NoGradGuard no_grad; // collectives overwrite parameters and gradients in place
        body();
        return TFFM_OK;
    } catch (const std::invalid_argument &e) {
        return tffm::fail(ctx, TFFM_ERR_INVALID_ARGUMENT, e.what());
    } catch (const std::bad_alloc &) {
        return tffm::fail(ctx, TFFM_ERR_OUT_OF_MEMORY, "out of memory (std::bad_alloc)");
    } catch (const std::exception &e) {
        return tffm::fail(ctx, TFFM_ERR_DISTRIBUTED, what_of(e).c_str());
    } catch (...) {
        return tffm::fail(ctx, TFFM_ERR_UNKNOWN, "unknown C++ exception");
    }
}

// LibTorch declares this flag in namespace c10 (1.13) or, built with gflags, globally (2.x wheels):
// unqualified lookup through the using-directive finds either.
namespace log_flags {
using namespace c10;
inline auto &caffe2_log_level() { return FLAGS_caffe2_log_level; }
} // namespace log_flags
using log_flags::caffe2_log_level;

// c10d logs its socket failures to stderr before it throws them; while joining and while a
// collective fails, the exception (turned into one message) is the only report wanted.
struct quiet_logs {
#ifdef C10_USE_GLOG
    decltype(FLAGS_minloglevel) saved = FLAGS_minloglevel;
    quiet_logs() { FLAGS_minloglevel = 3; }
    ~quiet_logs() { FLAGS_minloglevel = saved; }
#else
    std::remove_reference_t<decltype(caffe2_log_level())> saved = caffe2_log_level();
    quiet_logs() { caffe2_log_level() = 3; }
    ~quiet_logs() { caffe2_log_level() = saved; }
#endif
};

std::string seconds(std::chrono::milliseconds t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g s", static_cast<double>(t.count()) / 1000.0);
    return buf;
}

std::string text(const std::vector<uint8_t> &v) { return std::string(v.begin(), v.end()); }
std::vector<uint8_t> bytes(const std::string &s) { return std::vector<uint8_t>(s.begin(), s.end()); }

// Opens the store: rank 0 listens on port, the others connect to host:port, each within timeout.
c10::intrusive_ptr<c10d::Store> open_store(const std::string &host, int32_t port, int32_t rank, int32_t size,
                                          std::chrono::milliseconds timeout) {
    c10d::TCPStoreOptions opts;
    opts.port = static_cast<std::uint16_t>(port);
    opts.isServer = rank == 0;
    opts.numWorkers = static_cast<std::size_t>(size);
    opts.waitWorkers = false; // the rendezvous below waits, with messages that name the missing rank
    opts.timeout = timeout;
    std::string where = host + ":" + std::to_string(port);
    try {
        return c10::make_intrusive<c10d::TCPStore>(host, opts);
    } catch (const std::exception &e) {
        if (rank == 0) {
            throw dist_failure("rank 0 could not host the rendezvous on port " + std::to_string(port) +
                               " (is the port in use? choose another with --master HOST:PORT): " + what_of(e));
        }
        throw dist_failure("rank " + std::to_string(rank) + " could not reach the master at " + where + " within " +
                           seconds(timeout) + " (is rank 0 running, and is the address right?): " + what_of(e));
    }
}

// "hostname pid": lets a survivor tell which rank on its own machine has exited.
std::string this_process() {
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host) + " " + std::to_string(static_cast<long long>(getpid()));
}

// Whether a process on this machine has exited (a zombie not yet reaped by its parent counts).
bool exited(long long pid) {
    if (pid <= 0) return false;
    if (kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    size_t paren = line.rfind(')');
    return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

// Steps 1-3 of the protocol in torchffm.h: every rank is claimed once and all agree on the size.
void rendezvous(c10d::Store &store, int32_t rank, int32_t size, std::chrono::milliseconds timeout) {
    std::string me = std::to_string(rank);
    if (store.add("torchffm/rank/" + me, 1) > 1) {
        throw dist_failure("two processes joined the group as rank " + me + " (check --node-rank and --nproc)");
    }
    store.set("torchffm/proc/" + me, bytes(this_process()));
    store.set("torchffm/size/" + me, bytes(std::to_string(size)));
    if (rank == 0) {
        std::string verdict = "ok";
        for (int32_t r = 1; r < size && verdict == "ok"; r++) {
            std::string key = "torchffm/size/" + std::to_string(r);
            try {
                store.wait({key}, timeout);
            } catch (const std::exception &) {
                verdict = "rank " + std::to_string(r) + " did not join within " + seconds(timeout) +
                          " (is it running, with the same world size " + std::to_string(size) + "?)";
                break;
            }
            std::string theirs = text(store.get(key));
            if (theirs != std::to_string(size)) {
                verdict = "world size mismatch: rank " + std::to_string(r) + " was started for " + theirs +
                          " processes, rank 0 for " + std::to_string(size);
            }
        }
        store.set("torchffm/verdict", bytes(verdict));
        if (verdict != "ok") {
            // Keep the store up until the others have read the verdict (bounded), so that each
            // of them reports the cause rather than a broken connection.
            int64_t joined = 0;
            for (int32_t r = 1; r < size; r++) joined += store.check({"torchffm/size/" + std::to_string(r)}) ? 1 : 0;
            auto deadline = std::chrono::steady_clock::now() + std::min(timeout, std::chrono::milliseconds(5000));
            while (store.add("torchffm/acks", 0) < joined && std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            throw dist_failure(verdict);
        }
        return;
    }
    std::string root, verdict;
    try {
        store.wait({"torchffm/size/0"}, timeout);
        root = text(store.get("torchffm/size/0"));
        store.wait({"torchffm/verdict"}, timeout);
        verdict = text(store.get("torchffm/verdict"));
        store.add("torchffm/acks", 1);
    } catch (const std::exception &e) {
        throw dist_failure("rank " + me + ": rank 0 did not confirm that every rank joined within " + seconds(timeout) +
                           ": " + what_of(e));
    }
    if (root != std::to_string(size)) {
        throw dist_failure("world size mismatch: this process (rank " + me + ") was started for " +
                           std::to_string(size) + " processes, rank 0 for " + root);
    }
    if (verdict != "ok") throw dist_failure(verdict);
}

bool loopback(const std::string &host) {
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

c10::intrusive_ptr<tffm_collectives> make_group(const c10::intrusive_ptr<c10d::Store> &store, const std::string &host,
                                                int32_t rank, int32_t size, int32_t backend,
                                                std::chrono::milliseconds timeout) {
    auto prefixed = c10::make_intrusive<c10d::PrefixStore>("torchffm/pg", store);
    if (backend == TFFM_PG_BACKEND_GLOO) {
#ifdef TFFM_WITH_GLOO
        auto opts = c10d::ProcessGroupGloo::Options::create(timeout);
        // As torch.distributed: GLOO_SOCKET_IFNAME picks the interface; a loopback master means
        // a single-machine group, which then stays on loopback whatever the hostname resolves to.
        const char *ifname = std::getenv("GLOO_SOCKET_IFNAME");
        if (ifname != nullptr && *ifname != '\0') {
            opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
        } else if (loopback(host)) {
            opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
        } else {
            opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
        }
        opts->threads = 2;
        return c10::make_intrusive<c10d::ProcessGroupGloo>(prefixed, rank, size, opts);
#else
        tffm::invalid("this torchffm library was built without Gloo (install libgloo-dev and rebuild)");
#endif
    }
    if (backend == TFFM_PG_BACKEND_NCCL) {
#ifdef TFFM_WITH_NCCL
        auto opts = c10d::ProcessGroupNCCL::Options::create();
        opts->timeout = timeout;
        return c10::make_intrusive<c10d::ProcessGroupNCCL>(prefixed, rank, size, opts);
#else
        tffm::invalid("this torchffm library was built without NCCL (it needs a CUDA LibTorch with NCCL)");
#endif
    }
    tffm::invalid("unknown process group backend code " + std::to_string(backend));
}

tffm_pg &group_of(tffm_pg *pg) {
    if (pg == nullptr) tffm::invalid("process group is NULL");
    return *pg;
}

// The device a backend serves: Gloo reduces CPU tensors, NCCL CUDA tensors.
void check_device(const tffm_pg &pg, const at::Tensor &t) {
    bool cuda = t.is_cuda();
    if (pg.backend == TFFM_PG_BACKEND_GLOO && cuda) tffm::invalid("a Gloo process group takes CPU tensors only");
    if (pg.backend == TFFM_PG_BACKEND_NCCL && !cuda) tffm::invalid("an NCCL process group takes CUDA tensors only");
}

// The ranks on this machine whose process has exited, as "rank 1 (pid 4242)", or "".
std::string gone_ranks(const tffm_pg &pg) {
    std::string mine = this_process();
    std::string host = mine.substr(0, mine.rfind(' '));
    std::string names;
    for (size_t r = 0; r < pg.peers.size(); r++) {
        const std::string &peer = pg.peers[r];
        size_t space = peer.rfind(' ');
        if (static_cast<int32_t>(r) == pg.rank || space == std::string::npos || peer.substr(0, space) != host) continue;
        long long pid = std::atoll(peer.c_str() + space + 1);
        if (exited(pid)) {
            names += (names.empty() ? "" : ", ") + ("rank " + std::to_string(r) + " (pid " + std::to_string(pid) + ")");
        }
    }
    return names;
}

// Waits for a collective and names the rank when it fails (a dead peer or one that stopped answering).
void finish(const tffm_pg &pg, const c10::intrusive_ptr<c10d::Work> &work, const char *what) {
    quiet_logs quiet;
    try {
        work->wait(pg.timeout);
    } catch (const std::exception &e) {
        // A killed peer's sockets close before its process is marked exited: look again for a moment.
        std::string gone = gone_ranks(pg);
        for (int i = 0; gone.empty() && i < 20; i++) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            gone = gone_ranks(pg);
        }
        std::string me = "rank " + std::to_string(pg.rank) + ": " + what + " failed: ";
        if (!gone.empty()) throw dist_failure(me + gone + " has exited");
        throw dist_failure(me + "a peer process is gone or did not answer within " + seconds(pg.timeout) + " (" +
                           what_of(e) + ")");
    }
}

void all_reduce_sum(tffm_pg &pg, at::Tensor &t) {
    std::vector<at::Tensor> v{t};
    c10d::AllreduceOptions opts;
    opts.reduceOp = c10d::ReduceOp::SUM;
    finish(pg, pg.group->allreduce(v, opts), "all-reduce");
}

void broadcast(tffm_pg &pg, at::Tensor &t, int32_t root) {
    std::vector<at::Tensor> v{t};
    c10d::BroadcastOptions opts;
    opts.rootRank = root;
    finish(pg, pg.group->broadcast(v, opts), "broadcast");
}

void check_root(const tffm_pg &pg, int32_t root) {
    if (root < 0 || root >= pg.size) {
        tffm::invalid("root rank " + std::to_string(root) + " is outside the group of " + std::to_string(pg.size));
    }
}

// Runs fn on consecutive runs of tensors whose flattened size stays within bucket_bytes (a single
// tensor larger than that is a bucket of its own), flattened into one buffer; then copies back.
template <typename F>
void bucketed(tffm_pg &pg, std::vector<at::Tensor> &tensors, int64_t bucket_bytes, F &&fn) {
    if (bucket_bytes <= 0) tffm::invalid("bucket size must be > 0 bytes, got " + std::to_string(bucket_bytes));
    for (const auto &t : tensors) {
        check_device(pg, t);
        if (t.scalar_type() != tensors[0].scalar_type() || t.device() != tensors[0].device()) {
            tffm::invalid("all tensors of a coalesced collective must share dtype and device");
        }
    }
    size_t begin = 0;
    while (begin < tensors.size()) {
        size_t end = begin;
        int64_t bytes = 0;
        while (end < tensors.size()) {
            int64_t b = tensors[end].numel() * static_cast<int64_t>(tensors[end].element_size());
            if (end > begin && bytes + b > bucket_bytes) break;
            bytes += b;
            end++;
        }
        std::vector<at::Tensor> flat_parts;
        for (size_t i = begin; i < end; i++) flat_parts.push_back(tensors[i].reshape({-1}));
        at::Tensor flat = at::cat(flat_parts);
        fn(flat);
        int64_t offset = 0;
        for (size_t i = begin; i < end; i++) {
            int64_t n = tensors[i].numel();
            tensors[i].copy_(flat.narrow(0, offset, n).view(tensors[i].sizes()));
            offset += n;
        }
        begin = end;
    }
}

} // namespace

extern "C" {

tffm_pg *tffm_pg_new(tffm_ctx *ctx, const char *host, int32_t port, int32_t rank, int32_t world_size,
                     int32_t backend, int64_t timeout_ms) {
    tffm_pg *out = nullptr;
    pg_guard(ctx, [&] {
        if (host == nullptr || *host == '\0') tffm::invalid("master host is empty");
        if (port < 1 || port > 65535) tffm::invalid("port must be in 1..65535, got " + std::to_string(port));
        if (world_size < 1) tffm::invalid("world size must be >= 1, got " + std::to_string(world_size));
        if (rank < 0 || rank >= world_size) {
            tffm::invalid("rank " + std::to_string(rank) + " is outside 0.." + std::to_string(world_size - 1));
        }
        if (timeout_ms < 1) tffm::invalid("timeout must be >= 1 ms, got " + std::to_string(timeout_ms));
        if (tffm_pg_backend_available(backend) == 0) {
            tffm::invalid(backend == TFFM_PG_BACKEND_NCCL
                              ? "this torchffm library was built without NCCL (it needs a CUDA LibTorch with NCCL)"
                              : "this torchffm library was built without Gloo (install libgloo-dev and rebuild)");
        }
        std::chrono::milliseconds timeout(timeout_ms);
        quiet_logs quiet;
        auto store = open_store(host, port, rank, world_size, timeout);
        rendezvous(*store, rank, world_size, timeout);
        c10::intrusive_ptr<tffm_collectives> group;
        try {
            group = make_group(store, host, rank, world_size, backend, timeout);
        } catch (const std::invalid_argument &) {
            throw;
        } catch (const std::exception &e) {
            throw dist_failure("rank " + std::to_string(rank) + " could not connect to its peers within " +
                               seconds(timeout) + ": " + what_of(e));
        }
        std::vector<std::string> peers;
        for (int32_t r = 0; r < world_size; r++) peers.push_back(text(store->get("torchffm/proc/" + std::to_string(r))));
        out = new tffm_pg{store, group, rank, world_size, backend, timeout, std::move(peers)};
    });
    return out;
}

int32_t tffm_pg_rank(const tffm_pg *pg) { return pg == nullptr ? -1 : pg->rank; }

int32_t tffm_pg_size(const tffm_pg *pg) { return pg == nullptr ? -1 : pg->size; }

int32_t tffm_pg_backend_available(int32_t backend) {
#ifdef TFFM_WITH_GLOO
    if (backend == TFFM_PG_BACKEND_GLOO) return 1;
#endif
#ifdef TFFM_WITH_NCCL
    if (backend == TFFM_PG_BACKEND_NCCL) return 1;
#endif
    return 0;
}

int32_t tffm_pg_broadcast(tffm_ctx *ctx, tffm_pg *pg, tffm_tensor *t, int32_t root) {
    return pg_guard(ctx, [&] {
        tffm_pg &g = group_of(pg);
        check_root(g, root);
        at::Tensor x = tffm::ref(t, "tensor");
        check_device(g, x);
        if (!x.is_contiguous()) tffm::invalid("broadcast needs a contiguous tensor");
        broadcast(g, x, root);
    });
}

int32_t tffm_pg_all_reduce(tffm_ctx *ctx, tffm_pg *pg, tffm_tensor *t, int32_t op) {
    return pg_guard(ctx, [&] {
        tffm_pg &g = group_of(pg);
        at::Tensor x = tffm::ref(t, "tensor");
        check_device(g, x);
        if (!x.is_contiguous()) tffm::invalid("all-reduce needs a contiguous tensor");
        if (op != TFFM_REDUCE_SUM && op != TFFM_REDUCE_AVG) tffm::invalid("unknown reduce op code " + std::to_string(op));
        if (op == TFFM_REDUCE_AVG && !at::isFloatingType(x.scalar_type())) {
            tffm::invalid("average needs a floating-point tensor");
        }
        all_reduce_sum(g, x);
        if (op == TFFM_REDUCE_AVG) x.div_(g.size); // Gloo has no AVG: sum, then divide
    });
}

int32_t tffm_pg_barrier(tffm_ctx *ctx, tffm_pg *pg) {
    return pg_guard(ctx, [&] {
        tffm_pg &g = group_of(pg);
        finish(g, g.group->barrier(c10d::BarrierOptions()), "barrier");
    });
}

int32_t tffm_pg_broadcast_coalesced(tffm_ctx *ctx, tffm_pg *pg, tffm_tensor *const *tensors, int64_t n, int32_t root,
                                    int64_t bucket_bytes) {
    return pg_guard(ctx, [&] {
        tffm_pg &g = group_of(pg);
        check_root(g, root);
        std::vector<at::Tensor> v = tffm::tensors(tensors, n);
        bucketed(g, v, bucket_bytes, [&](at::Tensor &flat) { broadcast(g, flat, root); });
    });
}

int32_t tffm_pg_average_gradients(tffm_ctx *ctx, tffm_pg *pg, tffm_tensor *const *parameters, int64_t n,
                                  int64_t bucket_bytes) {
    return pg_guard(ctx, [&] {
        tffm_pg &g = group_of(pg);
        std::vector<at::Tensor> params = tffm::tensors(parameters, n);
        std::vector<at::Tensor> grads;
        grads.reserve(params.size());
        for (auto &p : params) {
            if (!p.grad().defined()) p.mutable_grad() = at::zeros_like(p);
            grads.push_back(p.grad());
        }
        bucketed(g, grads, bucket_bytes, [&](at::Tensor &flat) {
            all_reduce_sum(g, flat);
            flat.div_(g.size);
        });
    });
}

void tffm_pg_free(tffm_pg *pg) {
    try {
        delete pg;
    } catch (...) {
        // a destructor that throws while tearing down connections leaves nothing to recover
    }
}

} // extern "C"
