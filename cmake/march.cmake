# Chooses the target ISA once, at configure time.
#
# x86-64-v3 (AVX2, BMI2, FMA, MOVBE) is what every CPU we deploy on has; -mpclmul is added
# because simdjson picks its compile-time On-Demand kernel from __PCLMUL__ and v3 alone does
# not define it (it would fall back to the scalar kernel). `native` is never the default: CI
# and other hosts may have a different CPU and a -march=native binary can SIGILL there.
if(PMX_MARCH STREQUAL "auto")
  set(_probe_src ${CMAKE_BINARY_DIR}/pmx_march_probe.cpp)
  file(WRITE ${_probe_src} [=[
int main() {
  __builtin_cpu_init();
  return (__builtin_cpu_supports("x86-64-v3") && __builtin_cpu_supports("pclmul")) ? 0 : 1;
}
]=])
  try_run(_march_run _march_compiled ${CMAKE_BINARY_DIR}/pmx_march_probe ${_probe_src})
  if(_march_compiled AND _march_run EQUAL 0)
    set(PMX_MARCH_FLAGS -march=x86-64-v3 -mpclmul)
  else()
    set(PMX_MARCH_FLAGS -march=x86-64-v2)
  endif()
else()
  set(PMX_MARCH_FLAGS -march=${PMX_MARCH})
endif()
message(STATUS "pmx: target ISA ${PMX_MARCH_FLAGS}")
add_compile_options(${PMX_MARCH_FLAGS})
