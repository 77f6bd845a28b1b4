/* sanitizer.h - QUIRK_UNDER_ASAN: whether AddressSanitizer is compiled in
 * (GCC defines __SANITIZE_ADDRESS__, clang answers __has_feature). */
#ifndef QUIRK_SANITIZER_H
#define QUIRK_SANITIZER_H

#if defined(__SANITIZE_ADDRESS__)
#define QUIRK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QUIRK_UNDER_ASAN 1
#endif
#endif

#endif
