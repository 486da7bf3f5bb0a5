// SPDX-License-Identifier: Apache-2.0
// Plain C++ LibTorch reference of the d2l LeNet / Fashion-MNIST training loop.
// Follows exactly the seeded algorithm of bench/python/train_lenet.py:
//   set_num_threads(T); manual_seed(S); build layers in order (default init draws);
//   xavier_uniform_ on each Conv2d/Linear weight in creation order;
//   each epoch: perm = randperm(60000); batches perm[i:i+B] (last partial).
#include <torch/torch.h>
#include <zlib.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Config {
  int threads = 2;
  uint64_t seed = 42;
  double lr = 0.9;
  double momentum = 0.0;
  int64_t batch_size = 256;
  int epochs = 10;
  std::string data = "/usr/share/datasets/fashion-mnist";
  std::string json;
  std::string device = "cpu";
};

void usage(const char* prog) {
  std::cerr << "usage: " << prog
            << " [--threads T] [--seed S] [--lr LR] [--momentum M] [--batch-size B]"
               " [--epochs E] [--data DIR] [--json FILE] [--device cpu|cuda[:N]]\n";
}

Config parse_args(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      usage(argv[0]);
      std::exit(0);
    }
    std::string v;
    auto eq = a.find('=');
    if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
      v = a.substr(eq + 1);
      a = a.substr(0, eq);
    } else if (i + 1 < argc) {
      v = argv[++i];
    } else {
      usage(argv[0]);
      throw std::runtime_error("missing value for " + a);
    }
    if (a == "--threads") c.threads = std::stoi(v);
    else if (a == "--seed") c.seed = std::stoull(v);
    else if (a == "--lr") c.lr = std::stod(v);
    else if (a == "--momentum") c.momentum = std::stod(v);
    else if (a == "--batch-size") c.batch_size = std::stoll(v);
    else if (a == "--epochs") c.epochs = std::stoi(v);
    else if (a == "--data") c.data = v;
    else if (a == "--json") c.json = v;
    else if (a == "--device") c.device = v;
    else {
      usage(argv[0]);
      throw std::runtime_error("unknown flag " + a);
    }
  }
  return c;
}

// Read a whole gzip file into memory.
std::vector<uint8_t> read_gz(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot open " + path);
  std::vector<uint8_t> out;
  std::vector<uint8_t> buf(1 << 20);
  for (;;) {
    int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      gzclose(f);
      throw std::runtime_error("gzread failed on " + path);
    }
    if (n == 0) break;
    out.insert(out.end(), buf.begin(), buf.begin() + n);
  }
  gzclose(f);
  return out;
}

uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// Parse an IDX (uint8) file; returns a uint8 tensor with the file's dims.
torch::Tensor read_idx_gz(const std::string& path) {
  std::vector<uint8_t> d = read_gz(path);
  if (d.size() < 4 || d[0] != 0 || d[1] != 0 || d[2] != 0x08)
    throw std::runtime_error(path + ": unsupported IDX header");
  int ndim = d[3];
  std::vector<int64_t> dims;
  int64_t count = 1;
  for (int i = 0; i < ndim; ++i) {
    dims.push_back(be32(&d[4 + 4 * i]));
    count *= dims.back();
  }
  size_t off = 4 + 4 * size_t(ndim);
  if (d.size() - off != size_t(count)) throw std::runtime_error(path + ": size mismatch");
  auto t = torch::empty(dims, torch::kUInt8);
  std::memcpy(t.data_ptr<uint8_t>(), d.data() + off, size_t(count));
  return t;
}

struct Split {
  torch::Tensor x;  // float32 [N,1,28,28]
  torch::Tensor y;  // int64 [N]
};

Split load_split(const std::string& dir, const std::string& prefix) {
  auto imgs = read_idx_gz(dir + "/" + prefix + "-images-idx3-ubyte.gz");
  auto labels = read_idx_gz(dir + "/" + prefix + "-labels-idx1-ubyte.gz");
  Split s;
  s.x = imgs.to(torch::kFloat32).div_(255.0).unsqueeze(1).contiguous();
  s.y = labels.to(torch::kInt64);
  return s;
}

torch::nn::Sequential build_net() {
  namespace nn = torch::nn;
  // Each layer is created in its own statement: default init draws from the global
  // generator, and function-argument evaluation order is unspecified in C++ (GCC goes
  // right-to-left), so Sequential(a, b, c) would draw in the wrong order.
  nn::Sequential net;
  net->push_back(nn::Conv2d(nn::Conv2dOptions(1, 6, 5).padding(2)));
  net->push_back(nn::Functional(torch::sigmoid));
  net->push_back(nn::AvgPool2d(nn::AvgPool2dOptions(2).stride(2)));
  net->push_back(nn::Conv2d(nn::Conv2dOptions(6, 16, 5)));
  net->push_back(nn::Functional(torch::sigmoid));
  net->push_back(nn::AvgPool2d(nn::AvgPool2dOptions(2).stride(2)));
  net->push_back(nn::Flatten());
  net->push_back(nn::Linear(16 * 5 * 5, 120));
  net->push_back(nn::Functional(torch::sigmoid));
  net->push_back(nn::Linear(120, 84));
  net->push_back(nn::Functional(torch::sigmoid));
  net->push_back(nn::Linear(84, 10));
  torch::NoGradGuard no_grad;
  for (const auto& m : net->children()) {
    if (auto* conv = m->as<nn::Conv2d>()) {
      nn::init::xavier_uniform_(conv->weight);
    } else if (auto* lin = m->as<nn::Linear>()) {
      nn::init::xavier_uniform_(lin->weight);
    }
  }
  return net;
}

double evaluate(torch::nn::Sequential& net, const Split& s, int64_t batch_size) {
  torch::NoGradGuard no_grad;
  int64_t n = s.x.size(0);
  int64_t correct = 0;
  for (int64_t start = 0; start < n; start += batch_size) {
    int64_t end = std::min(start + batch_size, n);
    auto xb = s.x.slice(0, start, end);
    auto yb = s.y.slice(0, start, end);
    correct += net->forward(xb).argmax(1).eq(yb).sum().item<int64_t>();
  }
  return double(correct) / double(n);
}

struct EpochResult {
  int epoch;
  double loss, train_acc, test_acc, seconds;
};

std::string fmt(double v, int prec) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(prec) << v;
  return o.str();
}

std::string json_num(double v) {
  std::ostringstream o;
  o << std::setprecision(17) << v;
  return o.str();
}

std::string json_str(const std::string& s) {
  std::string r = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') r += '\\';
    r += c;
  }
  return r + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  try {
    cfg = parse_args(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }

  at::set_num_threads(cfg.threads);
  torch::manual_seed(cfg.seed);
  std::cout << "libtorch " << TORCH_VERSION << ", threads " << at::get_num_threads()
            << std::endl;

  torch::Device device(cfg.device);
  auto net = build_net();
  net->to(device);
  Split train = load_split(cfg.data, "train");
  Split test = load_split(cfg.data, "t10k");
  train.x = train.x.to(device);
  train.y = train.y.to(device);
  test.x = test.x.to(device);
  test.y = test.y.to(device);
  torch::optim::SGD opt(net->parameters(),
                        torch::optim::SGDOptions(cfg.lr).momentum(cfg.momentum));

  const int64_t n_total = train.x.size(0);
  std::vector<EpochResult> results;
  for (int epoch = 1; epoch <= cfg.epochs; ++epoch) {
    auto t0 = std::chrono::steady_clock::now();
    net->train();
    auto perm = torch::randperm(n_total, torch::TensorOptions().dtype(torch::kInt64).device(device));
    double loss_sum = 0.0;
    int64_t correct = 0, n = 0;
    for (int64_t start = 0; start < n_total; start += cfg.batch_size) {
      auto idx = perm.slice(0, start, std::min(start + cfg.batch_size, n_total));
      auto X = train.x.index_select(0, idx);
      auto y = train.y.index_select(0, idx);
      opt.zero_grad();
      auto out = net->forward(X);
      auto l = torch::nn::functional::cross_entropy(out, y);
      l.backward();
      opt.step();
      int64_t bn = y.size(0);
      loss_sum += l.item<double>() * double(bn);
      correct += out.argmax(1).eq(y).sum().item<int64_t>();
      n += bn;
    }
    double loss = loss_sum / double(n);
    double train_acc = double(correct) / double(n);
    net->eval();
    double test_acc = evaluate(net, test, cfg.batch_size);
    double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "epoch " << epoch << ", loss " << fmt(loss, 4) << ", train acc "
              << fmt(train_acc, 3) << ", test acc " << fmt(test_acc, 3) << ", time "
              << fmt(secs, 1) << " sec" << std::endl;
    results.push_back({epoch, loss, train_acc, test_acc, secs});
  }

  if (!cfg.json.empty()) {
    struct rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::vector<double> secs;
    for (const auto& r : results) secs.push_back(r.seconds);
    std::sort(secs.begin(), secs.end());
    double median = 0.0;
    if (!secs.empty()) {
      size_t m = secs.size() / 2;
      median = secs.size() % 2 ? secs[m] : 0.5 * (secs[m - 1] + secs[m]);
    }
    std::ofstream f(cfg.json);
    f << "{\n  \"impl\": \"cpp\",\n  \"config\": {\"threads\": " << cfg.threads
      << ", \"seed\": " << cfg.seed << ", \"lr\": " << json_num(cfg.lr)
      << ", \"momentum\": " << json_num(cfg.momentum) << ", \"batch_size\": " << cfg.batch_size
      << ", \"epochs\": " << cfg.epochs << ", \"data\": " << json_str(cfg.data)
      << ", \"torch_version\": " << json_str(TORCH_VERSION) << "},\n  \"epochs\": [";
    for (size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      f << (i ? ",\n    " : "\n    ") << "{\"epoch\": " << r.epoch
        << ", \"loss\": " << json_num(r.loss) << ", \"train_acc\": " << json_num(r.train_acc)
        << ", \"test_acc\": " << json_num(r.test_acc) << ", \"seconds\": " << json_num(r.seconds)
        << "}";
    }
    f << "\n  ],\n  \"final_test_acc\": "
      << (results.empty() ? std::string("null") : json_num(results.back().test_acc))
      << ",\n  \"median_seconds\": " << (results.empty() ? std::string("null") : json_num(median))
      << ",\n  \"peak_rss_kb\": " << ru.ru_maxrss << "\n}\n";
  }
  return 0;
}
