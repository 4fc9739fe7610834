// SPDX-License-Identifier: GPL-2.0
// cmactl ima-log: the module's records in an IMA measurement list, each
// checked against its digest and decoded by the documented layout.
#include <gtest/gtest.h>
#include <linux/pci_cma.h>
#include <openssl/evp.h>

#include <regex.h>

#include <sstream>
#include <string>

#include "../../tools/cmactl/ima_appraisal.h"
#include "../../tools/cmactl/ima_log.h"

namespace cmactl {
namespace {

void put16(Bytes& b, size_t at, unsigned v) {
  b[at] = v & 0xff;
  b[at + 1] = (v >> 8) & 0xff;
}
void put32(Bytes& b, size_t at, unsigned v) {
  put16(b, at, v & 0xffff);
  put16(b, at + 2, v >> 16);
}

// An "approved" record of 0000:01:00.0, laid out as the module lays it out.
Bytes approved_record() {
  Bytes b(240, 0);
  b[0] = 'P', b[1] = 'C', b[2] = 'M', b[3] = 'A';
  put16(b, 4, 1);
  put16(b, 6, PCI_CMA_EVENT_APPROVED);
  put16(b, 8, 0);
  b[10] = 0x01;
  b[11] = 0x00;
  put16(b, 12, 0x1b36);
  put16(b, 14, 0x0010);
  put32(b, 16, 0x010802);
  b[20] = 0x02;
  b[21] = 0x14;
  b[22] = 0;
  b[23] = 48;
  put32(b, 36, 1u << 1);
  put32(b, 40, 5);
  put32(b, 48, 5);
  put32(b, 56, PCI_CMA_STATE_APPROVED);
  put32(b, 60, kImaApproved);
  for (size_t i = 0; i < 48; ++i) b[72 + i] = static_cast<uint8_t>(i);
  for (size_t i = 0; i < 48; ++i) b[136 + i] = b[184 + i] = 0xaa;
  put32(b, 232, 1000);
  return b;
}

std::string sha256_hex(const Bytes& b) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(b.data(), b.size(), md, &len, EVP_sha256(), nullptr);
  return hex(Bytes(md, md + len));
}

std::string entry(const std::string& name, const Bytes& buffer, const std::string& digest) {
  return "10 " + std::string(40, '0') + " ima-buf sha256:" + digest + " " + name + " " + hex(buffer) + "\n";
}

TEST(CmactlImaLog, DecodesTheModulesRecordsAndSkipsTheRest) {
  const Bytes record = approved_record();
  std::istringstream list("10 " + std::string(40, '1') + " ima-ng sha256:00 boot_aggregate\n" +
                          entry("kernel_version", Bytes{'7'}, sha256_hex(Bytes{'7'})) +
                          entry("0000:01:00.0/approved", record, sha256_hex(record)));
  const auto records = read_ima_log(list);
  ASSERT_EQ(records.size(), 1u);
  const ImaRecord& r = records[0];
  EXPECT_TRUE(r.digest_ok) << r.problem;
  ASSERT_TRUE(r.decoded) << r.problem;
  EXPECT_EQ(r.place, "0000:01:00.0");
  EXPECT_EQ(r.event, unsigned{PCI_CMA_EVENT_APPROVED});
  EXPECT_EQ(r.vendor, 0x1b36u);
  EXPECT_EQ(r.class_code, 0x010802u);
  EXPECT_EQ(r.spdm_version, 0x14u);
  EXPECT_EQ(r.generation, 5u);
  EXPECT_EQ(r.chain_digest.size(), 48u);
  EXPECT_EQ(r.identity_digest, Bytes(48, 0xaa));
  EXPECT_EQ(r.boottime_ns, 1000u);
  const std::string text = ima_record_text(r);
  EXPECT_NE(text.find("0000:01:00.0 approved: 1b36:0010 class 010802"), std::string::npos) << text;
  EXPECT_NE(text.find("flags approved"), std::string::npos) << text;
  EXPECT_EQ(text.find("disagrees"), std::string::npos) << text;
}

TEST(CmactlImaLog, AlteredBufferNoLongerMatchesItsDigest) {
  Bytes record = approved_record();
  const std::string digest = sha256_hex(record);
  record[40] = 6;  // the generation, changed after measurement
  std::istringstream list(entry("0000:01:00.0/approved", record, digest));
  const auto records = read_ima_log(list);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].digest_ok);
  EXPECT_EQ(records[0].problem, "digest does not match the buffer");
  EXPECT_NE(ima_record_text(records[0]).find("BAD"), std::string::npos);
}

TEST(CmactlImaLog, UnknownVersionAndForeignBuffersAreNamed) {
  Bytes record = approved_record();
  put16(record, 4, 2);
  ImaRecord r;
  decode_ima_record(record, r);
  EXPECT_FALSE(r.decoded);
  EXPECT_EQ(r.problem, "record version 2 of 240 bytes is not known");
  ImaRecord foreign;
  decode_ima_record(Bytes{'X', 'Y', 'Z', 'W', 1, 0}, foreign);
  EXPECT_EQ(foreign.problem, "not a pci-cma record");
  ImaRecord truncated;
  decode_ima_record(Bytes(record.begin(), record.begin() + 100), truncated);
  EXPECT_FALSE(truncated.decoded);
}

TEST(CmactlImaLog, EventNameThatDisagreesWithTheBufferIsShown) {
  const Bytes record = approved_record();
  std::istringstream list(entry("0000:02:00.0/approved", record, sha256_hex(record)));
  const auto records = read_ima_log(list);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_NE(ima_record_text(records[0]).find("[event name 0000:02:00.0/approved disagrees]"), std::string::npos);
}

// One entry of binary_runtime_measurements (little-endian, as on x86).
void append_u32(Bytes& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back((v >> (8 * i)) & 0xff);
}
void append_field(Bytes& out, const Bytes& field) {
  append_u32(out, field.size());
  out.insert(out.end(), field.begin(), field.end());
}
Bytes binary_entry(const std::string& template_name, const std::string& name, const Bytes& buffer,
                   const std::string& digest_hex) {
  Bytes algo_digest{'s', 'h', 'a', '2', '5', '6', ':', 0};
  const auto digest = from_hex(digest_hex);
  algo_digest.insert(algo_digest.end(), digest->begin(), digest->end());
  Bytes data;
  append_field(data, algo_digest);
  Bytes name_field(name.begin(), name.end());
  name_field.push_back(0);
  append_field(data, name_field);
  append_field(data, buffer);
  Bytes out;
  append_u32(out, 10);
  out.insert(out.end(), 20, 0x11);
  append_field(out, Bytes(template_name.begin(), template_name.end()));
  append_field(out, data);
  return out;
}
std::istringstream as_stream(const Bytes& b) { return std::istringstream(std::string(b.begin(), b.end())); }

TEST(CmactlImaLog, BinaryListReadsAsTheAsciiOneDoes) {
  const Bytes record = approved_record();
  Bytes list = binary_entry("ima-ng", "boot_aggregate", Bytes{}, sha256_hex(Bytes{}));
  const Bytes other = binary_entry("ima-buf", "kernel_version", Bytes{'7'}, sha256_hex(Bytes{'7'}));
  const Bytes ours = binary_entry("ima-buf", "0000:01:00.0/approved", record, sha256_hex(record));
  list.insert(list.end(), other.begin(), other.end());
  list.insert(list.end(), ours.begin(), ours.end());
  auto binary = as_stream(list);
  const auto from_binary = read_ima_log(binary);
  std::istringstream ascii(entry("0000:01:00.0/approved", record, sha256_hex(record)));
  const auto from_ascii = read_ima_log(ascii);
  ASSERT_EQ(from_binary.size(), 1u);
  ASSERT_TRUE(from_binary[0].digest_ok && from_binary[0].decoded) << from_binary[0].problem;
  EXPECT_EQ(ima_record_text(from_binary[0]), ima_record_text(from_ascii.at(0)));
}

TEST(CmactlImaLog, BinaryRecordAlteredAfterMeasurementIsCaught) {
  Bytes record = approved_record();
  const std::string digest = sha256_hex(record);
  record[72] ^= 1;  // the chain digest's first byte
  auto list = as_stream(binary_entry("ima-buf", "0000:01:00.0/approved", record, digest));
  const auto records = read_ima_log(list);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].digest_ok);
  EXPECT_EQ(records[0].problem, "digest does not match the buffer");
}

TEST(CmactlImaLog, BinaryListThatBreaksOffEndsInABadEntry) {
  const Bytes record = approved_record();
  const Bytes whole = binary_entry("ima-buf", "0000:01:00.0/approved", record, sha256_hex(record));
  Bytes list = whole;
  list.insert(list.end(), whole.begin(), whole.end() - 7);
  auto cut = as_stream(list);
  const auto records = read_ima_log(cut);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].decoded);
  EXPECT_EQ(records[1].event_name, "(list)");
  EXPECT_EQ(records[1].problem, "binary list breaks off in the entry at byte " + std::to_string(whole.size()));
  EXPECT_NE(ima_record_text(records[1]).find("BAD"), std::string::npos);
  // A field length past the entry's data: malformed, not skipped.
  Bytes lying = whole;
  lying[4 + 20 + 4 + 7 + 4] = 0xff;  // the digest field's length
  auto forged = as_stream(lying);
  const auto from_forged = read_ima_log(forged);
  ASSERT_EQ(from_forged.size(), 1u);
  EXPECT_EQ(from_forged[0].problem, "ima-buf entry at byte 0 is malformed");
}

// The canonical record of 0000:01:00.0's approved identity (all 0xaa).
Bytes identity_record() {
  Bytes b(72, 0);
  b[0] = 'P', b[1] = 'C', b[2] = 'M', b[3] = 'I';
  put16(b, 4, 1);
  b[8] = 0x01;
  put16(b, 10, 0x1b36);
  put16(b, 12, 0x0010);
  put32(b, 20, 0x010802);
  for (size_t i = 0; i < 48; ++i) b[24 + i] = 0xaa;
  return b;
}

TEST(CmactlImaLog, ApprovedIdentityRecordDecodes) {
  const Bytes record = identity_record();
  std::istringstream list(entry("0000:01:00.0/approved-identity", record, sha256_hex(record)));
  const auto records = read_ima_log(list);
  ASSERT_EQ(records.size(), 1u);
  const ImaRecord& r = records[0];
  ASSERT_TRUE(r.digest_ok && r.decoded) << r.problem;
  EXPECT_EQ(r.event, kImaApprovedIdentityEvent);
  EXPECT_EQ(r.place, "0000:01:00.0");
  EXPECT_EQ(r.approved_identity_digest, Bytes(48, 0xaa));
  EXPECT_EQ(hex(r.entry_digest), sha256_hex(record));
  EXPECT_EQ(ima_record_text(r), "0000:01:00.0 approved-identity: 1b36:0010 class 010802 rev 00 subsystem 0000:0000, "
                                "approved identity " + std::string(96, 'a'));
  Bytes longer = record;
  longer.push_back(0);
  ImaRecord unknown;
  decode_ima_record(longer, unknown);
  EXPECT_EQ(unknown.problem, "identity record version 1 of 73 bytes is not known");
}

ImaRecord decoded(const Bytes& record) {
  ImaRecord r;
  r.digest_ok = true;
  decode_ima_record(record, r);
  r.event_name = r.place + "/" + "approved";
  return r;
}

const std::string kAllowed = std::string(96, 'a');

TEST(CmactlImaAppraisal, AllowListParsesAndRefusesWithTheLine) {
  ImaAllowList list;
  std::string why;
  std::istringstream good("# fleet\n0000:01:00.0 " + kAllowed + "  # nvme\n\n0000:01:00.0 " + std::string(96, 'b') + "\n");
  ASSERT_TRUE(parse_ima_allow_list(good, list, why)) << why;
  EXPECT_EQ(list["0000:01:00.0"].size(), 2u);
  std::istringstream bad_place("0000:01:00.0 " + kAllowed + "\n01:00.0 " + kAllowed + "\n");
  EXPECT_FALSE(parse_ima_allow_list(bad_place, list, why));
  EXPECT_EQ(why, "line 2: not a device place: 01:00.0");
  std::istringstream bad_digest("0000:01:00.0 ABCD\n");
  EXPECT_FALSE(parse_ima_allow_list(bad_digest, list, why));
  EXPECT_EQ(why, "line 1: want PLACE and one SHA-384 digest (96 lowercase hex digits)");
}

TEST(CmactlImaAppraisal, ApprovedIdentityAcceptedAndItsAllowListDerived) {
  const ImaRecord r = decoded(approved_record());
  const ImaAllowList list = ima_allow_list_from({r}, {});
  ASSERT_EQ(list.count("0000:01:00.0"), 1u);
  EXPECT_EQ(*list.at("0000:01:00.0").begin(), kAllowed);
  EXPECT_TRUE(appraise_ima_records({r}, list).empty());
  // A device not approved now gets no line.
  EXPECT_TRUE(ima_allow_list_from({r}, {"0000:02:00.0"}).empty());
}

TEST(CmactlImaAppraisal, MismatchContainmentOtherIdentityAndUnknownPlaceReject) {
  Bytes record = approved_record();
  put16(record, 6, PCI_CMA_EVENT_MISMATCH);
  put32(record, 60, kImaApproved | kImaContained | kImaMismatch);
  put32(record, 64, 1u << 2);
  for (size_t i = 0; i < 48; ++i) record[136 + i] = 0xbb;
  const ImaRecord r = decoded(record);
  const ImaAllowList list = {{"0000:01:00.0", {kAllowed}}};
  const std::vector<std::string> reasons = appraise_ima_records({r}, list);
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[0], "0000:01:00.0/mismatch: not the approved device (chain)");
  EXPECT_EQ(reasons[1], "0000:01:00.0/mismatch: contained");
  EXPECT_EQ(reasons[2], "0000:01:00.0/mismatch: identity bbbbbbbbbbbbbbbb... is not allowed here");
  Bytes contained = approved_record();
  put16(contained, 6, kImaContainedEvent);
  const ImaRecord c = decoded(contained);
  EXPECT_EQ(ima_event_text(c.event), "contained");
  EXPECT_EQ(appraise_ima_records({c}, list), std::vector<std::string>{"0000:01:00.0/contained: contained"});
  const ImaAllowList elsewhere = {{"0000:02:00.0", {kAllowed}}};
  EXPECT_EQ(appraise_ima_records({decoded(approved_record())}, elsewhere),
            std::vector<std::string>{"0000:01:00.0/approved: no identity is allowed at this place"});
}

}  // namespace
}  // namespace cmactl

namespace cmactl {
namespace {

TEST(CmactlImaKeylime, PolicyNamesTheApprovedIdentityEntriesAndExcludesTheUniqueRecords) {
  const Bytes approved = approved_record(), identity = identity_record();
  Bytes other_identity = identity_record();
  other_identity[24] = 0xbb;  // an identity approved earlier, no longer allowed
  std::istringstream text(entry("0000:01:00.0/approved-identity", other_identity, sha256_hex(other_identity)) +
                          entry("0000:01:00.0/approved", approved, sha256_hex(approved)) +
                          entry("0000:01:00.0/approved-identity", identity, sha256_hex(identity)));
  const auto records = read_ima_log(text);
  const ImaAllowList list = ima_allow_list_from(records, {});
  const std::string policy = keylime_policy_text(records, list);
  EXPECT_NE(policy.find("\"0000:01:00.0/approved-identity\": [\"" + sha256_hex(identity) + "\"]"), std::string::npos)
      << policy;
  EXPECT_EQ(policy.find(sha256_hex(other_identity)), std::string::npos) << policy;
  EXPECT_TRUE(appraise_ima_records(records, list).size() == 1) << "the earlier identity is not allowed";
  // The excludes, as Keylime reads them (an anchored regular expression
  // of the entry's name; JSON unescaped here by hand).
  const size_t at = policy.find("\"excludes\": [\"") + 14;
  std::string pattern = policy.substr(at, policy.find("\"]", at) - at);
  for (size_t i = pattern.find("\\\\"); i != std::string::npos; i = pattern.find("\\\\", i + 1)) pattern.erase(i, 1);
  regex_t excludes;
  ASSERT_EQ(regcomp(&excludes, pattern.c_str(), REG_EXTENDED | REG_NOSUB), 0) << pattern;
  for (const char* name : {"0000:01:00.0/authenticated", "0000:01:00.0/approved", "0000:01:00.0/revalidated",
                           "0000:1a:1f.7/unverifiable", "0000:01:00.0/removed"})
    EXPECT_EQ(regexec(&excludes, name, 0, nullptr, 0), 0) << name << " vs " << pattern;
  for (const char* name : {"0000:01:00.0/mismatch", "0000:01:00.0/contained", "0000:01:00.0/approved-identity",
                           "/usr/bin/approved"})
    EXPECT_NE(regexec(&excludes, name, 0, nullptr, 0), 0) << name << " vs " << pattern;
  regfree(&excludes);
}

}  // namespace
}  // namespace cmactl
