// SPDX-License-Identifier: GPL-2.0
// spdm-requester: the engine on the host. Connects to an SPDM responder on
// QEMU's socket protocol (DOE framing), authenticates it (VCA, digests,
// certificate chain, CHALLENGE, signed measurements) and reports what it
// found, in words or as JSON. Exit status 0 means authenticated.
#include <getopt.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "host/openssl_crypto.h"
#include "host/socket_transport.h"
#include "recording_transport.h"
#include "spdm/requester.h"
#include <pci_cma/engine.h>

namespace {

namespace spdm = cma::spdm;

class HostAllocator final : public cma::Allocator {
 public:
  void* allocate(size_t bytes) override { return std::malloc(bytes); }
  void deallocate(void* block) override { std::free(block); }
};

class HostClock final : public spdm::Clock {
 public:
  uint64_t now_us() override {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count());
  }
  void sleep_us(uint64_t us) override { std::this_thread::sleep_for(std::chrono::microseconds(us)); }
};

std::string hex(cma::Bytes data) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : data) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

// The signing algorithm, whichever of the two fields names it.
const char* asym_name(const spdm::Negotiated& n) {
  return n.pqc_asym ? pci_cma_pqc_asym_name(n.pqc_asym) : pci_cma_asym_name(n.base_asym);
}
const char* hash_name(uint32_t bit) { return pci_cma_hash_name(bit); }

bool parse_hex(const char* text, std::vector<uint8_t>& out) {
  out.clear();
  for (size_t i = 0; text[i]; i += 2) {
    unsigned value = 0;
    if (!text[i + 1] || sscanf(text + i, "%2x", &value) != 1) return false;
    out.push_back(static_cast<uint8_t>(value));
  }
  return true;
}

[[noreturn]] void usage(const char* message) {
  fprintf(stderr,
          "spdm-requester: %s\n"
          "usage: spdm-requester --port N [--slot N] [--max-version 1.0|1.1|1.2|1.3|1.4]\n"
          "       [--asym BITS] [--pqc-asym BITS] [--hash BITS] [--data-transfer-size N] [--json]\n"
          "       [--check-same-device]   then reconnect and check it is the same device\n"
          "       [--nonce HEX]           a verifier's nonce (32 bytes, or 40 with the 1.3 context)\n"
          "       [--record FILE]         write every exchange of the authentication to FILE\n"
          "       [--measurements N,N...] only these measurement indices, the last request signed\n",
          message);
  exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  static const option kLong[] = {{"port", required_argument, nullptr, 'p'},
                                 {"slot", required_argument, nullptr, 's'},
                                 {"max-version", required_argument, nullptr, 'v'},
                                 {"asym", required_argument, nullptr, 'a'},
                                 {"pqc-asym", required_argument, nullptr, 'q'},
                                 {"hash", required_argument, nullptr, 'h'},
                                 {"data-transfer-size", required_argument, nullptr, 'd'},
                                 {"json", no_argument, nullptr, 'j'},
                                 {"check-same-device", no_argument, nullptr, 'c'},
                                 {"nonce", required_argument, nullptr, 'n'},
                                 {"record", required_argument, nullptr, 'r'},
                                 {"measurements", required_argument, nullptr, 'm'},
                                 {nullptr, 0, nullptr, 0}};
  uint16_t port = 0;
  uint8_t slot = 0;
  bool json = false;
  bool check_same_device = false;
  const char* record = nullptr;
  std::vector<uint8_t> nonce;
  std::vector<uint8_t> indices;
  spdm::RequesterConfig config;
  for (int c; (c = getopt_long(argc, argv, "", kLong, nullptr)) != -1;) {
    switch (c) {
      case 'p': port = static_cast<uint16_t>(std::stoul(optarg)); break;
      case 's': slot = static_cast<uint8_t>(std::stoul(optarg)); break;
      case 'v':
        if (strlen(optarg) != 3 || optarg[0] != '1' || optarg[1] != '.' || optarg[2] < '0' || optarg[2] > '4')
          usage("--max-version wants 1.0 to 1.4");
        config.max_version = static_cast<uint8_t>(0x10 | (optarg[2] - '0'));
        break;
      case 'a': config.base_asym = static_cast<uint32_t>(std::stoul(optarg, nullptr, 0)); break;
      case 'q': config.pqc_asym = static_cast<uint32_t>(std::stoul(optarg, nullptr, 0)); break;
      case 'h': config.base_hash = static_cast<uint32_t>(std::stoul(optarg, nullptr, 0)); break;
      case 'd': config.data_transfer_size = static_cast<uint32_t>(std::stoul(optarg, nullptr, 0)); break;
      case 'j': json = true; break;
      case 'c': check_same_device = true; break;
      case 'n':
        if (!parse_hex(optarg, nonce) || (nonce.size() != 32 && nonce.size() != 40))
          usage("--nonce wants 32 or 40 bytes in hex");
        config.verifier_nonce = cma::Bytes(nonce.data(), nonce.size());
        break;
      case 'r': record = optarg; break;
      case 'm':
        for (const char* p = optarg; *p;) {
          char* end = nullptr;
          unsigned long index = strtoul(p, &end, 10);
          if (end == p || index < 1 || index > 254 || (*end && *end != ',')) usage("--measurements wants 1-254,...");
          indices.push_back(static_cast<uint8_t>(index));
          p = *end ? end + 1 : end;
        }
        break;
      default: usage("bad option");
    }
  }
  if (!port) usage("--port is required");

  HostAllocator allocator;
  HostClock clock;
  host::OpenSslCrypto crypto;
  host::SocketTransport transport;
  if (!transport.connect(port)) {
    fprintf(stderr, "spdm-requester: cannot connect to 127.0.0.1:%u\n", port);
    return 1;
  }
  FILE* record_file = record ? fopen(record, "wb") : nullptr;
  if (record && !record_file) {
    fprintf(stderr, "spdm-requester: cannot write %s\n", record);
    return 1;
  }
  host::RecordingTransport recording(transport, record_file);
  spdm::Requester requester(record_file ? static_cast<spdm::Transport&>(recording) : transport, crypto, clock,
                            allocator, config);
  auto start = std::chrono::steady_clock::now();
  cma::Status status = requester.init_connection();
  if (status.ok()) status = requester.get_digests();
  if (status.ok()) status = requester.get_certificate(slot);
  if (status.ok()) status = requester.challenge(slot, spdm::kSummaryHashAll);
  if (status.ok()) status = requester.get_measurements(slot, cma::Bytes(indices.data(), indices.size()));
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  transport.shutdown();
  if (record_file && fclose(record_file) != 0) {
    fprintf(stderr, "spdm-requester: cannot write %s\n", record);
    return 1;
  }

  const spdm::Negotiated& n = requester.negotiated();
  const spdm::ExchangeStats& s = requester.stats();
  if (!status.ok()) {
    const cma::Error& e = status.error();
    if (json) {
      printf("{\"authenticated\":false,\"error\":\"%s\",\"field\":\"%s\",\"offset\":%u,\"spdm_error\":%u,"
             "\"exchanges\":%u}\n",
             cma::errc_name(e.code), e.field ? e.field : "", e.offset, e.spdm_error, s.exchanges);
    } else {
      fprintf(stderr, "spdm-requester: not authenticated: %s in %s at byte %u", cma::errc_name(e.code),
              e.field ? e.field : "(no field)", e.offset);
      if (e.code == cma::Errc::kSpdmError) fprintf(stderr, " (SPDM error 0x%02x)", e.spdm_error);
      fprintf(stderr, "\n");
    }
    return 1;
  }

  // A same-device check on a fresh connection, as after resume or reset.
  std::string same_device;
  if (check_same_device) {
    spdm::Identity identity(allocator);
    cma::Status captured = identity.capture(requester, slot, crypto);
    host::SocketTransport again;
    if (!captured.ok() || !again.connect(port)) {
      fprintf(stderr, "spdm-requester: cannot set up the same-device check\n");
      return 1;
    }
    spdm::Requester checker(again, crypto, clock, allocator, config);
    auto check_start = std::chrono::steady_clock::now();
    cma::Result<spdm::SameDeviceReport> report = checker.check_same_device(identity);
    double check_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - check_start).count();
    again.shutdown();
    const spdm::ExchangeStats& c = checker.stats();
    char text[320];
    snprintf(text, sizeof(text),
             "{\"same\":%s,\"differences\":%u,\"exchanges\":%u,\"bytes_sent\":%llu,\"bytes_received\":%llu,"
             "\"certificate_bytes\":%llu,\"large_responses\":%u,\"fewest_chunk_gets\":%u,\"milliseconds\":%.1f}",
             report.ok() && report.value().same() ? "true" : "false", report.ok() ? report.value().differences : 0u,
             c.exchanges, static_cast<unsigned long long>(c.bytes_sent),
             static_cast<unsigned long long>(c.bytes_received),
             static_cast<unsigned long long>(c.certificate_bytes), c.large_responses, c.fewest_chunk_gets, check_ms);
    same_device = text;
  }

  // The measurement blocks, from the verified record.
  std::string blocks;
  spdm::MeasurementRecordReader records(requester.measurement_record(), 0);
  while (!records.done()) {
    cma::Result<spdm::MeasurementBlock> b = records.next();
    if (!b.ok()) break;
    char entry[96];
    bool raw = b.value().value_type & spdm::kMeasurementRawBitStream;
    snprintf(entry, sizeof(entry), "%s{\"index\":%u,\"type\":%u,\"raw\":%s,\"value\":\"", blocks.empty() ? "" : ",",
             b.value().index, b.value().value_type & 0x7f, raw ? "true" : "false");
    blocks += entry + hex(b.value().value) + "\"}";
  }
  if (json) {
    printf("{\"authenticated\":true,\"version\":\"%x.%x\",\"asym\":\"%s\",\"hash\":\"%s\",\"slot_mask\":%u,"
           "\"slot\":%u,\"chain_bytes\":%zu,\"chain_digest\":\"%s\",\"measurements\":[%s],"
           "\"exchanges\":%u,\"bytes_sent\":%llu,\"bytes_received\":%llu,\"certificate_bytes\":%llu,"
           "\"large_responses\":%u,\"fewest_chunk_gets\":%u,\"milliseconds\":%.1f%s%s}\n",
           n.version >> 4, n.version & 0xf, asym_name(n), hash_name(n.base_hash), requester.slot_mask(),
           slot, requester.chain().size(), hex(requester.digest(slot)).c_str(), blocks.c_str(), s.exchanges,
           static_cast<unsigned long long>(s.bytes_sent), static_cast<unsigned long long>(s.bytes_received),
           static_cast<unsigned long long>(s.certificate_bytes), s.large_responses, s.fewest_chunk_gets, ms,
           same_device.empty() ? "" : ",\"same_device\":",
           same_device.c_str());
    return 0;
  }
  printf("authenticated: SPDM %x.%x, %s, %s\n", n.version >> 4, n.version & 0xf, asym_name(n),
         hash_name(n.base_hash));
  printf("slots provisioned: 0x%02x; slot %u chain of %zu bytes, digest %s\n", requester.slot_mask(), slot,
         requester.chain().size(), hex(requester.digest(slot)).c_str());
  printf("measurements (signed, verified): %s\n", blocks.c_str());
  printf("exchanges: %u, bytes sent %llu, received %llu (certificate %llu), %.1f ms\n", s.exchanges,
         static_cast<unsigned long long>(s.bytes_sent), static_cast<unsigned long long>(s.bytes_received),
         static_cast<unsigned long long>(s.certificate_bytes), ms);
  if (!same_device.empty()) printf("same-device check: %s\n", same_device.c_str());
  return 0;
}
