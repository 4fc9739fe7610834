// SPDX-License-Identifier: GPL-2.0
// One ML-DSA verification through the ops, as an authentication makes it:
// for known-answer tests of the verifier in the module and on the host.
#include <pci_cma/engine.h>

#include "abi/env_allocator.h"
#include "abi/ops_adapters.h"

namespace {

cma::Bytes view(const pci_cma_bytes* bytes) { return cma::Bytes(bytes->data, bytes->len); }

}  // namespace

uint16_t pci_cma_verify_mldsa(const pci_cma_env* env, const pci_cma_ops* ops, uint32_t pqc_asym,
                              const pci_cma_bytes* key, const pci_cma_bytes* message, const pci_cma_bytes* context,
                              const pci_cma_bytes* signature) {
  using namespace cma;
  EnvAllocator allocator(*env);
  abi::OpsCrypto crypto(*ops, allocator);
  x509::PublicKey public_key;
  public_key.type = x509::key_type_for_pqc(pqc_asym);
  public_key.key = view(key);
  const Bytes parts[] = {view(message)};
  Status verified = crypto.verify_message(pqc_asym, public_key, Span<const Bytes>(parts), view(context), view(signature));
  return verified.ok() ? 0 : static_cast<uint16_t>(verified.error().code);
}
