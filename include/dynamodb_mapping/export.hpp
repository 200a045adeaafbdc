// DDBMAP_API: marks what the library exports. The library is compiled with hidden visibility
// (CXX_VISIBILITY_PRESET hidden, VISIBILITY_INLINES_HIDDEN), so a shared libdynamodb_mapping.so
// exports only what is marked with this macro; everything else, the `detail::` namespace
// included, stays out of its ABI. What gets it:
// - a function the library defines out of line, or a class that has such members;
// - an exception class or a polymorphic base, so that its type information is shared and a
//   `catch` or `dynamic_cast` in the program matches what the library made;
// - a class used as the argument of a template the library instantiates and exports (Binary for
//   Set<Binary>, QueryRequest for Pages<QueryRequest>): GCC gives an instantiation no more
//   visibility than its arguments have.
// DDBMAP_NO_EXPORT keeps a nested class of an exported class hidden (a class nested in a
// DDBMAP_API class is exported with it otherwise): `struct DDBMAP_NO_EXPORT Impl;`.
// Only GCC and Clang on ELF targets are supported.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define DDBMAP_API __attribute__((visibility("default")))
#define DDBMAP_NO_EXPORT __attribute__((visibility("hidden")))
#else
#define DDBMAP_API
#define DDBMAP_NO_EXPORT
#endif
