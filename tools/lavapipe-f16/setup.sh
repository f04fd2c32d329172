#!/bin/bash
# A headless Chromium whose WebGPU adapter has 'shader-f16', on a Debian 12 machine without a GPU:
# Mesa 25's lavapipe (Vulkan on the CPU). Used to check fp16 / q4f16 variants on WebGPU; not part of
# `npm test` (it downloads Mesa from Debian's backports and compiles a Vulkan layer).
#
# Why each step (found from Chromium's GPU-process log and the Dawn/Chromium sources):
# - bookworm's Mesa 22.3 lavapipe lacks shader{Sampled,Storage}ImageArrayDynamicIndexing, which Dawn
#   requires, so Mesa 25 is unpacked from bookworm-backports (nothing is installed system-wide);
# - Chromium only accepts a CPU adapter that is SwiftShader or can import external images
#   (VK_KHR_external_semaphore_fd, which lavapipe lacks): a small Vulkan layer reports lavapipe with
#   SwiftShader's vendor/device IDs (spoof-swiftshader-layer.c);
# - Dawn lists Chromium's own SwiftShader first, so Chromium runs from a copy of its program folder
#   without libvk_swiftshader.so;
# - Chromium enumerates Vulkan WebGPU adapters only when Skia runs on Vulkan: launch with
#   --use-angle=vulkan.
#
# Usage:  D=/tmp/lvp-f16 bash tools/lavapipe-f16/setup.sh && source /tmp/lvp-f16/env.sh
#         WEBFORMERS_E2E_CHROMIUM=$WF_CHROME WEBFORMERS_E2E_CHROMIUM_ARGS=--use-angle=vulkan \
#           npx playwright test -c e2e/playwright.config.ts e2e/variants.spec.ts -g WebGPU
# The adapter then reads as SwiftShader (info.architecture), with 'shader-f16' among its features.
# Needs: apt (Debian 12), gcc. Re-run after a chromium package upgrade (the binary is hard-linked).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
D=${D:-/tmp/lvp-f16}
mkdir -p "$D/deb" "$D/apt/lists/partial" "$D/apt/cache/archives/partial" "$D/layer"
printf 'deb http://deb.debian.org/debian bookworm main\ndeb http://deb.debian.org/debian bookworm-backports main\n' > "$D/sources.list"
APT=(-o "Dir::Etc::SourceList=$D/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$D/apt/lists"
  -o "Dir::Cache=$D/apt/cache" -o APT::Sandbox::User=root)
apt-get "${APT[@]}" update -qq
cd "$D/deb"
apt-get "${APT[@]}" download mesa-vulkan-drivers/bookworm-backports libdrm2/bookworm-backports libdrm-amdgpu1/bookworm-backports libvulkan-dev
for f in mesa-vulkan-drivers_*.deb libdrm*.deb; do dpkg-deb -x "$f" "$D/mesa"; done
dpkg-deb -x libvulkan-dev_*.deb "$D/vkdev"
LIB=$D/mesa/usr/lib/x86_64-linux-gnu
printf '{"ICD":{"api_version":"1.4.305","library_path":"%s/libvulkan_lvp.so"},"file_format_version":"1.0.1"}\n' "$LIB" > "$D/lvp.json"
gcc -shared -fPIC -O2 -fvisibility=hidden -I "$D/vkdev/usr/include" "$HERE/spoof-swiftshader-layer.c" -o "$D/layer/libspoof.so"
printf '{"file_format_version":"1.0.0","layer":{"name":"VK_LAYER_WF_spoof_swiftshader","type":"GLOBAL","library_path":"%s/layer/libspoof.so","api_version":"1.3.0","implementation_version":"1","description":"lavapipe as SwiftShader, for WebGPU tests"}}\n' "$D" > "$D/layer/spoof.json"
mkdir -p "$D/chr"
for f in /usr/lib/chromium/*; do
  b=$(basename "$f")
  case $b in libvk_swiftshader.so|vk_swiftshader_icd.json|chromium) ;; *) ln -sfn "$f" "$D/chr/$b" ;; esac
done
ln -f /usr/lib/chromium/chromium "$D/chr/chromium" 2>/dev/null || cp /usr/lib/chromium/chromium "$D/chr/chromium"
cat > "$D/env.sh" <<EOS
export VK_ICD_FILENAMES=$D/lvp.json LD_LIBRARY_PATH=$LIB VK_LAYER_PATH=$D/layer VK_INSTANCE_LAYERS=VK_LAYER_WF_spoof_swiftshader XDG_RUNTIME_DIR=/tmp
export WF_CHROME=$D/chr/chromium
EOS
echo "ready: source $D/env.sh"
