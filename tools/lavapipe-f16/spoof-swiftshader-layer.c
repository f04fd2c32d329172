/* A Vulkan layer that reports the physical device with SwiftShader's vendor/device IDs, so that
   Chromium's WebGPU adapter filter (a CPU adapter must be SwiftShader unless it can import external
   images) takes lavapipe, whose float16 support SwiftShader lacks. Test tooling only (setup.sh);
   WF_SPOOF_OFF=1 turns it into a pass-through. */
#include <vulkan/vulkan.h>
#include <vulkan/vk_layer.h>
#include <string.h>
#include <stdlib.h>
#define LAYER_NAME "VK_LAYER_WF_spoof_swiftshader"
#define EXPORT __attribute__((visibility("default")))

static PFN_vkGetInstanceProcAddr next_gipa;
static PFN_vkGetDeviceProcAddr next_gdpa;
static PFN_vkGetPhysicalDeviceProperties next_props;
static PFN_vkGetPhysicalDeviceProperties2 next_props2;
static PFN_vkEnumerateDeviceExtensionProperties next_enum_dev_ext;

static void patch(VkPhysicalDeviceProperties *p) {
  if (getenv("WF_SPOOF_OFF")) return;
  p->vendorID = 0x1AE0; p->deviceID = 0xC0DE;
}
static VKAPI_ATTR void VKAPI_CALL l_props(VkPhysicalDevice pd, VkPhysicalDeviceProperties *p) { next_props(pd, p); patch(p); }
static VKAPI_ATTR void VKAPI_CALL l_props2(VkPhysicalDevice pd, VkPhysicalDeviceProperties2 *p) { next_props2(pd, p); patch(&p->properties); }
static VKAPI_ATTR VkResult VKAPI_CALL l_enum_dev_ext(VkPhysicalDevice pd, const char *layer, uint32_t *n, VkExtensionProperties *e) {
  if (layer && strcmp(layer, LAYER_NAME) == 0) { *n = 0; return VK_SUCCESS; }
  return next_enum_dev_ext(pd, layer, n, e);
}

static VKAPI_ATTR VkResult VKAPI_CALL l_CreateInstance(const VkInstanceCreateInfo *ci, const VkAllocationCallbacks *a, VkInstance *inst) {
  VkLayerInstanceCreateInfo *li = (VkLayerInstanceCreateInfo *)ci->pNext;
  while (li && !(li->sType == VK_STRUCTURE_TYPE_LOADER_INSTANCE_CREATE_INFO && li->function == VK_LAYER_LINK_INFO)) li = (VkLayerInstanceCreateInfo *)li->pNext;
  if (!li) return VK_ERROR_INITIALIZATION_FAILED;
  next_gipa = li->u.pLayerInfo->pfnNextGetInstanceProcAddr;
  li->u.pLayerInfo = li->u.pLayerInfo->pNext;
  PFN_vkCreateInstance create = (PFN_vkCreateInstance)next_gipa(VK_NULL_HANDLE, "vkCreateInstance");
  VkResult r = create(ci, a, inst);
  if (r != VK_SUCCESS) return r;
  next_props = (PFN_vkGetPhysicalDeviceProperties)next_gipa(*inst, "vkGetPhysicalDeviceProperties");
  next_props2 = (PFN_vkGetPhysicalDeviceProperties2)next_gipa(*inst, "vkGetPhysicalDeviceProperties2");
  if (!next_props2) next_props2 = (PFN_vkGetPhysicalDeviceProperties2)next_gipa(*inst, "vkGetPhysicalDeviceProperties2KHR");
  next_enum_dev_ext = (PFN_vkEnumerateDeviceExtensionProperties)next_gipa(*inst, "vkEnumerateDeviceExtensionProperties");
  return r;
}

static VKAPI_ATTR VkResult VKAPI_CALL l_CreateDevice(VkPhysicalDevice pd, const VkDeviceCreateInfo *ci, const VkAllocationCallbacks *a, VkDevice *dev) {
  VkLayerDeviceCreateInfo *li = (VkLayerDeviceCreateInfo *)ci->pNext;
  while (li && !(li->sType == VK_STRUCTURE_TYPE_LOADER_DEVICE_CREATE_INFO && li->function == VK_LAYER_LINK_INFO)) li = (VkLayerDeviceCreateInfo *)li->pNext;
  if (!li) return VK_ERROR_INITIALIZATION_FAILED;
  PFN_vkGetInstanceProcAddr gipa = li->u.pLayerInfo->pfnNextGetInstanceProcAddr;
  next_gdpa = li->u.pLayerInfo->pfnNextGetDeviceProcAddr;
  li->u.pLayerInfo = li->u.pLayerInfo->pNext;
  PFN_vkCreateDevice create = (PFN_vkCreateDevice)gipa(VK_NULL_HANDLE, "vkCreateDevice");
  return create(pd, ci, a, dev);
}

EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL vkGetDeviceProcAddr(VkDevice d, const char *n) {
  if (!strcmp(n, "vkGetDeviceProcAddr")) return (PFN_vkVoidFunction)vkGetDeviceProcAddr;
  return next_gdpa(d, n);
}

EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL vkGetInstanceProcAddr(VkInstance i, const char *n) {
  if (!strcmp(n, "vkGetInstanceProcAddr")) return (PFN_vkVoidFunction)vkGetInstanceProcAddr;
  if (!strcmp(n, "vkCreateInstance")) return (PFN_vkVoidFunction)l_CreateInstance;
  if (!strcmp(n, "vkCreateDevice")) return (PFN_vkVoidFunction)l_CreateDevice;
  if (!strcmp(n, "vkGetDeviceProcAddr")) return (PFN_vkVoidFunction)vkGetDeviceProcAddr;
  if (!strcmp(n, "vkGetPhysicalDeviceProperties")) return (PFN_vkVoidFunction)l_props;
  if (!strcmp(n, "vkGetPhysicalDeviceProperties2") || !strcmp(n, "vkGetPhysicalDeviceProperties2KHR")) return (PFN_vkVoidFunction)l_props2;
  if (!strcmp(n, "vkEnumerateDeviceExtensionProperties")) return (PFN_vkVoidFunction)l_enum_dev_ext;
  if (!next_gipa) return NULL;
  return next_gipa(i, n);
}
