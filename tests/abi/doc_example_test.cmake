# Checks that sdk/ABI.md shows the out-of-tree example plugin verbatim, so the example in the
# document is code that the abi.out_of_tree_build test really builds.
#   cmake -DDOC=<ABI.md> -DEXAMPLE=<hello.c> -P doc_example_test.cmake
file(READ ${DOC} doc)
file(READ ${EXAMPLE} example)
string(FIND "${doc}" "${example}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${DOC} no longer contains ${EXAMPLE} verbatim: update one from the other")
endif()
