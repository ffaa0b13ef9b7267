// SinkRef<T>: a non-owning reference to any callable taking `const T&` (a lambda, a ring's push
// adapter, a test's vector appender). Two words, no allocation, one indirect call per record.
//
// The engine's templates (StrategyEngine::on_market_event) wrap the caller's sinks in SinkRefs
// so the decision code itself is compiled once, in a .cpp, and is not instantiated per sink type.
// Records are emitted rarely (opportunities, intents) next to the per-update decision cost, so
// the indirect call is not on the common path.
//
// The referenced callable must outlive the SinkRef: build one per call, never store it.
#pragma once

#include <type_traits>

namespace pmx {

template <typename T>
class SinkRef {
 public:
  template <typename F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, SinkRef> && std::is_invocable_v<F&, const T&>)
      SinkRef(F& callable)
  noexcept  // NOLINT(google-explicit-constructor): a reference, like std::function_ref
      : object_(const_cast<void*>(static_cast<const void*>(&callable))),
        call_([](void* object, const T& value) noexcept { (*static_cast<F*>(object))(value); }) {}

  // A sink that drops everything.
  static SinkRef discard() noexcept { return SinkRef(); }

  void operator()(const T& value) const noexcept { call_(object_, value); }

 private:
  SinkRef() noexcept : object_(nullptr), call_([](void*, const T&) noexcept {}) {}

  void* object_;
  void (*call_)(void*, const T&) noexcept;
};

}  // namespace pmx
