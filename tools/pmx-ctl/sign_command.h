// pmx-ctl sign --venue kalshi --method M --path P [--timestamp MS]: prints the three
// KALSHI-ACCESS-* headers for one request, signed with the key in KALSHI_PRIVATE_KEY_PATH (a file
// readable by its owner only) under the key id in KALSHI_API_KEY_ID.
#pragma once

#include "offline_command.h"

namespace pmx::ctl {

OfflineSubcommand add_sign(CLI::App& app);

}  // namespace pmx::ctl
