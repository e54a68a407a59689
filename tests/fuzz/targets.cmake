# The fuzz targets: tests/fuzz/<name>_fuzz.cpp with seeds in tests/fuzz/corpus/<name>/. Shared by
# the libFuzzer build (tests/fuzz/CMakeLists.txt) and the corpus replay in the unit tests
# (tests/fuzz/replay/CMakeLists.txt); scripts/test.sh runs every fuzz_<name> it finds.
set(MCPH_FUZZ_TARGETS
  jsonrpc_message
  jws_compact
  jwks_document
  config_text
  form_urlencoded
  redirect_uri
  cimd_document
  bearer_header
  event_id_cursor
  uri_template
  http_framing
  origin_header
  registration_request
  elf_image)
