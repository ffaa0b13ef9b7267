// A fresh directory under /tmp for one test, removed with everything in it (tests/common).
#pragma once

#include "../common/scratch_dir.h"

namespace pmx::app::test {
using ScratchDir = pmx::test::ScratchDir;
}  // namespace pmx::app::test
