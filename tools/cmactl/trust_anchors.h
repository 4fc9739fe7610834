// SPDX-License-Identifier: GPL-2.0
// Trust anchor files: PEM certificates, checked whole when read. A file
// that holds anything but parseable certificates is refused at load with
// its line, rather than failing every device that comes along later.
#pragma once

#include <map>
#include <string>

#include "config_error.h"
#include "verifier.h"

namespace cmactl {

// Checks the PEM text of one anchor file (named `file` in errors) and
// returns it as anchors named `file`; false and `error` if it is malformed.
bool parse_trust_anchors(const std::string& text, const std::string& file, TrustAnchors& out, ConfigError& error);

// Reads and checks one anchor file.
bool read_trust_anchors(const std::string& path, TrustAnchors& out, ConfigError& error);

// Every DIR/*.pem, keyed by file name without ".pem" (the name a policy
// uses); a missing directory is an error, an empty one is not.
bool read_anchor_dir(const std::string& dir, std::map<std::string, TrustAnchors>& out, ConfigError& error);

}  // namespace cmactl
