// SPDX-License-Identifier: GPL-2.0
// SPDM 1.4 at the responder: VERSION offers it, NEGOTIATE_ALGORITHMS
// selects ML-DSA through PqcAsymAlgo, ML-DSA signatures verify with OpenSSL
// as pure ML-DSA with the SPDM context string as the FIPS 204 context,
// CHUNK_GET carries a 32-bit ChunkSeqNo, and what is new in 1.4 is refused
// below it.
#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <sys/wait.h>

#include <cstdio>

#include "test_requester.h"

namespace rt {
namespace {

uint32_t le16(const Bytes& b, size_t at) { return b[at] | (b[at + 1] << 8); }
uint32_t le32(const Bytes& b, size_t at) { return le16(b, at) | (le16(b, at + 2) << 16); }

struct MlDsa {
  const char* pki;
  uint32_t bit;  // PqcAsymAlgo
  const char* openssl_name;
  size_t signature_size;
  size_t public_key_size;
};

constexpr MlDsa kMlDsa[] = {
    {"mldsa44", 0x1, "ML-DSA-44", 2420, 1312},
    {"mldsa65", 0x2, "ML-DSA-65", 3309, 1952},
    {"mldsa87", 0x4, "ML-DSA-87", 4627, 2592},
};

// A device with key `alg` that offers 1.0 to 1.4, named explicitly.
std::vector<std::string> with14(const char* alg) {
  return {"--alg", alg, "--versions", "1.0,1.1,1.2,1.3,1.4"};
}

// A responder process and a link to it, for hand-built requests.
struct Device {
  explicit Device(std::vector<std::string> args) : device(std::move(args)), link(device.port()) {}
  // The response to `request`, DOE padding included.
  Bytes send(const Bytes& request) {
    std::optional<Bytes> r = link.spdm(request);
    EXPECT_TRUE(r.has_value()) << "no response";
    return r.value_or(Bytes(4));
  }
  // The ERROR code of the response to `request`, or -1 if not an ERROR.
  int error_of(const Bytes& request) {
    Bytes r = send(request);
    return r[1] == 0x7f ? r[2] : -1;
  }
  // GET_VERSION and GET_CAPABILITIES (chunking, DataTransferSize 4096).
  void version_and_capabilities(uint8_t version) {
    send({0x10, 0x84, 0, 0});
    Bytes caps = send({version, 0xe1, 0, 0, 0, 12, 0, 0, 0x06, 0, 0x02, 0, 0, 0x10, 0, 0, 0, 0, 1, 0});
    ASSERT_EQ(caps[1], 0x61);
  }
  ResponderProcess device;
  SocketClient link;
};

// NEGOTIATE_ALGORITHMS with `structs` (AlgStructs of 4 bytes each) after
// the fixed 32 bytes; from 1.4 `pqc` is PqcAsymAlgo at offset 16.
Bytes negotiate(uint8_t version, uint32_t asym, uint32_t pqc, const Bytes& structs = {}) {
  Bytes r = {version, 0xe3, static_cast<uint8_t>(structs.size() / 4), 0};
  size_t length = 32 + structs.size();
  r.insert(r.end(), {static_cast<uint8_t>(length), static_cast<uint8_t>(length >> 8), 1, 0x02});
  for (uint32_t v : {asym, 0x07u, pqc}) {
    for (int i = 0; i < 4; ++i) r.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  r.resize(32, 0);
  r.insert(r.end(), structs.begin(), structs.end());
  return r;
}

EVP_PKEY* leaf_key(const TestRequester& requester) {
  Bytes der = requester.leaf_public_key_der(0);
  const unsigned char* p = der.data();
  return d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
}

TEST(Spdm14Version, VersionListsOneFourLast) {
  Device d(with14("ecdsa-p256"));
  Bytes version = d.send({0x10, 0x84, 0, 0});
  ASSERT_EQ(version[1], 0x04);
  ASSERT_EQ(version[5], 5) << "1.0 to 1.4";
  EXPECT_EQ(le16(version, 6 + 2 * 4), 0x1400u);
}

// Without --versions a device offers every version, 1.4 included.
TEST(Spdm14Version, DefaultVersionsReachOneFour) {
  Device d({"--alg", "ecdsa-p256"});
  Bytes version = d.send({0x10, 0x84, 0, 0});
  ASSERT_EQ(version[5], 5);
  EXPECT_EQ(le16(version, 6 + 2 * 4), 0x1400u);
}

// ML-DSA signs only in 1.4: a device with an ML-DSA key that would not
// offer 1.4 is a mistake in its options, refused at start.
TEST(Spdm14Version, MlDsaDeviceWithoutOneFourDoesNotStart) {
  std::string command = "timeout 10 " + build_dir() + "/spdm-responder --pki " + build_dir() +
                        "/pki --alg mldsa44 --versions 1.2,1.3 --port 0 2>&1";
  FILE* out = popen(command.c_str(), "r");
  ASSERT_NE(out, nullptr);
  std::string text;
  char line[256];
  while (fgets(line, sizeof(line), out)) text += line;
  int status = pclose(out);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(text.find("1.4"), std::string::npos) << text;
}

TEST(Spdm14Version, VersionsOptionTakesOneFour) {
  Device only14({"--alg", "ecdsa-p256", "--versions", "1.4"});
  Bytes version = only14.send({0x10, 0x84, 0, 0});
  ASSERT_EQ(version[5], 1);
  EXPECT_EQ(le16(version, 6), 0x1400u);

  Device upto13({"--alg", "ecdsa-p256", "--versions", "1.2,1.3"});
  TestRequester requester(upto13.link, {.version = 0x14});
  ASSERT_TRUE(requester.connect());
  EXPECT_EQ(requester.version(), 0x13) << "1.4 is not offered";
}

class Spdm14MlDsa : public testing::TestWithParam<MlDsa> {};

// Offered every BaseAsymAlgo and every PqcAsymAlgo bit, an ML-DSA device
// selects its key's PqcAsymSel bit and leaves BaseAsymSel 0.
TEST_P(Spdm14MlDsa, NegotiationSelectsTheKeysPqcBit) {
  Device d(with14(GetParam().pki));
  TestRequester requester(d.link, {.version = 0x14, .asym = 0x1f7, .pqc = 0x7, .hash = 0x7});
  ASSERT_TRUE(requester.connect());
  EXPECT_EQ(requester.version(), 0x14);
  EXPECT_EQ(requester.pqc(), GetParam().bit);
  EXPECT_EQ(requester.asym(), 0u);
  EXPECT_EQ(requester.hash_algo(), 0x4u);
}

// CHALLENGE_AUTH and MEASUREMENTS: raw signatures of the FIPS 204 size
// over the 1.4 prefix || Hash(T), verifying only with the SPDM context as
// the FIPS 204 context; the leaf carries an ML-DSA key of that set.
TEST_P(Spdm14MlDsa, SignaturesArePureMlDsaWithTheContextString) {
  const MlDsa& alg = GetParam();
  Device d(with14(alg.pki));
  TestRequester requester(d.link, {.version = 0x14, .pqc = alg.bit, .hash = 0x2});
  ASSERT_TRUE(requester.connect());
  ASSERT_EQ(requester.get_digests(), 0x01);
  ASSERT_TRUE(requester.get_certificate(0));
  EVP_PKEY* key = leaf_key(requester);
  ASSERT_NE(key, nullptr);
  EXPECT_TRUE(EVP_PKEY_is_a(key, alg.openssl_name));
  size_t public_key_size = 0;
  EXPECT_EQ(EVP_PKEY_get_raw_public_key(key, nullptr, &public_key_size), 1);
  EXPECT_EQ(public_key_size, alg.public_key_size);

  EXPECT_TRUE(requester.challenge(0, 0xff)) << requester.failure();
  EXPECT_EQ(requester.last_signature().size(), alg.signature_size);
  const Bytes& message = requester.last_signed_message();
  ASSERT_EQ(message.size(), 100u + 48u) << "prefix and a SHA-384 transcript hash";
  EXPECT_EQ(std::string(message.begin(), message.begin() + 16), "dmtf-spdm-v1.4.*");
  EXPECT_FALSE(verify_ml_dsa(key, "", message, requester.last_signature())) << "an empty FIPS 204 context";

  EXPECT_TRUE(requester.get_measurements(0xff, true)) << requester.failure();
  EXPECT_EQ(requester.last_signature().size(), alg.signature_size);
  EXPECT_TRUE(verify_ml_dsa(key, "responder-measurements signing", requester.last_signed_message(),
                            requester.last_signature()));
  EVP_PKEY_free(key);
}

INSTANTIATE_TEST_SUITE_P(All, Spdm14MlDsa, testing::ValuesIn(kMlDsa),
                         [](const testing::TestParamInfo<MlDsa>& info) { return std::string(info.param.pki); });

// A 4627-byte ML-DSA-87 signature takes CHALLENGE_AUTH and MEASUREMENTS
// past a 4096-byte DataTransferSize: both come through LargeResponse and
// 1.4's CHUNK_GET, and verify once reassembled.
TEST(Spdm14Chunking, MlDsa87ResponsesAreChunkedAt4096) {
  Device d(with14("mldsa87"));
  TestRequester requester(d.link, {.version = 0x14, .pqc = 0x4, .hash = 0x4, .dts = 4096, .max = 65536});
  ASSERT_TRUE(requester.connect());
  ASSERT_EQ(requester.get_digests(), 0x01);
  ASSERT_TRUE(requester.get_certificate(0, 1024));
  ASSERT_EQ(requester.chunk_gets(), 0u) << "portions of 1 KiB need no chunks";
  EXPECT_TRUE(requester.challenge(0, 0xff)) << requester.failure();
  EXPECT_EQ(requester.chunk_gets(), 2u) << "about 4.8 KB in two chunks";
  EXPECT_TRUE(requester.get_measurements(0xff, true)) << requester.failure();
  EXPECT_EQ(requester.chunk_gets(), 4u);
}

// CHUNK_GET at 1.4 is 8 bytes with a u32 ChunkSeqNo; CHUNK_RESPONSE has a
// u32 ChunkSeqNo, ChunkSize, and LargeMessageSize in chunk 0 only.
// Negotiates 1.4 with ML-DSA `pqc` and asks for the whole chain in one
// CERTIFICATE, which is too large: returns the LargeResponse handle.
uint8_t large_certificate(Device& d, uint32_t pqc) {
  d.version_and_capabilities(0x14);
  EXPECT_EQ(d.send(negotiate(0x14, 0, pqc))[1], 0x63);
  Bytes large = d.send({0x14, 0x82, 0, 0, 0, 0, 0xff, 0xff});
  EXPECT_EQ(large[1], 0x7f);
  EXPECT_EQ(large[2], 0x0f) << "LargeResponse";
  return large.size() > 4 ? large[4] : 0;
}

TEST(Spdm14Chunking, ChunkGetAndResponseCarryA32BitSeqNo) {
  Device d(with14("mldsa65"));
  uint8_t handle = large_certificate(d, 0x2);

  Bytes first = d.send({0x14, 0x86, 0, handle, 0, 0, 0, 0});
  ASSERT_EQ(first[1], 0x06);
  EXPECT_EQ(first[3], handle);
  EXPECT_EQ(le32(first, 4), 0u);
  size_t chunk = le32(first, 8);
  size_t total = le32(first, 12);
  EXPECT_GT(total, 4096u);
  EXPECT_EQ(first.size(), (16 + chunk + 3) / 4 * 4);

  Bytes second = d.send({0x14, 0x86, 0, handle, 1, 0, 0, 0});
  ASSERT_EQ(second[1], 0x06);
  EXPECT_EQ(le32(second, 4), 1u);
  EXPECT_EQ(second.size(), (12 + le32(second, 8) + 3) / 4 * 4) << "no LargeMessageSize after chunk 0";
  EXPECT_EQ(d.error_of({0x14, 0x86, 0, handle, 1, 0, 0, 0}), 0x01) << "chunk 1 again";
}

// A CHUNK_GET without its 32-bit ChunkSeqNo is refused. DOE cannot show
// a 1.3-sized (6-byte) CHUNK_GET at 1.4: the object pads it to 8 bytes
// with zeros, which read as the same ChunkSeqNo. What stays visibly short
// is a CHUNK_GET with no ChunkSeqNo at all.
TEST(Spdm14Chunking, ShortChunkGetIsInvalid) {
  Device d(with14("mldsa87"));
  uint8_t handle = large_certificate(d, 0x4);
  EXPECT_EQ(d.error_of({0x14, 0x86, 0, handle}), 0x01);
  EXPECT_EQ(d.error_of({0x14, 0x86, 0, handle, 0, 0, 0, 0, 0xaa, 0, 0, 0}), 0x01) << "trailing bytes";
  EXPECT_EQ(d.send({0x14, 0x86, 0, handle, 0, 0, 0, 0})[1], 0x06) << "the large response is still there";
}

// ML-DSA needs 1.4: a 1.3 requester, or a 1.4 one that does not offer
// the key's ML-DSA bit, gets an ALGORITHMS that selects no signing
// algorithm, as for any algorithm the two sides do not share; signed
// requests after it are refused instead of signed with nothing.
TEST(Spdm14Negotiation, MlDsaDeviceSelectsNothingBelowOneFour) {
  Device d(with14("mldsa65"));
  TestRequester requester(d.link, {.version = 0x13});
  EXPECT_FALSE(requester.connect());
  EXPECT_TRUE(requester.last_error().empty()) << "an ALGORITHMS, not an ERROR";
  EXPECT_EQ(requester.version(), 0x13);
  EXPECT_EQ(requester.asym(), 0u);
  EXPECT_EQ(requester.pqc(), 0u);
  EXPECT_EQ(requester.hash_algo(), 0x4u) << "the hash is still chosen";
  Bytes challenge = {0x13, 0x83, 0, 0};
  challenge.resize(44, 0x5a);
  EXPECT_EQ(d.error_of(challenge), 0x04) << "UnexpectedRequest";
  Bytes measurements = {0x13, 0xe0, 1, 0xff};
  measurements.resize(4 + 32 + 1 + 8, 0);
  EXPECT_EQ(d.error_of(measurements), 0x04);
  EXPECT_EQ(d.send({0x13, 0x81, 0, 0})[1], 0x01) << "DIGESTS need no signature";
}

TEST(Spdm14Negotiation, MlDsaBitNotOfferedSelectsNothing) {
  Device d(with14("mldsa87"));
  TestRequester requester(d.link, {.version = 0x14, .pqc = 0x1 | 0x2});
  EXPECT_FALSE(requester.connect());
  EXPECT_EQ(requester.asym(), 0u);
  EXPECT_EQ(requester.pqc(), 0u);
}

// The key decides the field: an ECDSA device offered ML-DSA too selects
// BaseAsymSel, and PqcAsymSel stays 0.
TEST(Spdm14Negotiation, ClassicKeyIgnoresThePqcOffer) {
  Device d(with14("ecdsa-p384"));
  TestRequester requester(d.link, {.version = 0x14, .pqc = 0x7});
  ASSERT_TRUE(requester.connect());
  EXPECT_EQ(requester.asym(), 0x80u);
  EXPECT_EQ(requester.pqc(), 0u);
  ASSERT_EQ(requester.get_digests(), 0x01);
  ASSERT_TRUE(requester.get_certificate(0));
  EXPECT_TRUE(requester.challenge(0, 0xff)) << requester.failure();
}

// ReqPqcAsymAlg (AlgType 6) and KEMAlg (7) AlgStructs exist from 1.4:
// echoed there with nothing selected, refused below.
TEST(Spdm14Negotiation, PqcAlgStructsOnlyFromOneFour) {
  const Bytes structs = {6, 0x20, 0x01, 0, 7, 0x20, 0x01, 0};
  Device v13(with14("ecdsa-p256"));
  v13.version_and_capabilities(0x13);
  EXPECT_EQ(v13.error_of(negotiate(0x13, 0x10, 0, structs)), 0x01);

  Device v14(with14("ecdsa-p256"));
  v14.version_and_capabilities(0x14);
  Bytes algorithms = v14.send(negotiate(0x14, 0x10, 0, structs));
  ASSERT_EQ(algorithms[1], 0x63);
  EXPECT_EQ(algorithms[2], 2) << "two AlgStructs";
  EXPECT_EQ(le16(algorithms, 4), 36u + 8u);
  EXPECT_EQ(le32(algorithms, 12), 0x10u);
  EXPECT_EQ(le32(algorithms, 20), 0u) << "PqcAsymSel";
  EXPECT_EQ(Bytes(algorithms.begin() + 36, algorithms.begin() + 44), (Bytes{6, 0x20, 0, 0, 7, 0x20, 0, 0}));
}

// Bytes 6-7 of GET_CAPABILITIES and CAPABILITIES are ExtFlags in 1.4:
// the requester's are accepted, and this responder claims none.
TEST(Spdm14Capabilities, ExtFlagsAreAcceptedAndNoneAreClaimed) {
  Device d(with14("ecdsa-p256"));
  d.send({0x10, 0x84, 0, 0});
  Bytes caps = d.send({0x14, 0xe1, 0, 0, 0, 12, 0x01, 0, 0x06, 0, 0x02, 0, 0, 0x10, 0, 0, 0, 0, 1, 0});
  ASSERT_EQ(caps[1], 0x61);
  EXPECT_EQ(caps[0], 0x14);
  EXPECT_EQ(le16(caps, 6), 0u);
  EXPECT_EQ(caps.size(), 20u);
}

}  // namespace
}  // namespace rt
