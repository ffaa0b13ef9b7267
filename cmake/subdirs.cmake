# pmx_add_module_subdirectories(): adds every direct subfolder that has a CMakeLists.txt, so a
# new module (src/book, tests/book, tools/shm-top, ...) is one folder with its own build file
# and never an edit to a file other modules share.
function(pmx_add_module_subdirectories)
  file(GLOB _entries LIST_DIRECTORIES true CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*)
  foreach(_entry IN LISTS _entries)
    if(IS_DIRECTORY ${_entry} AND EXISTS ${_entry}/CMakeLists.txt)
      add_subdirectory(${_entry})
    endif()
  endforeach()
endfunction()
