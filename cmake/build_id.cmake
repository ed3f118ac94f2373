# cmake -DOUT=<header> -DTAG=<backend-config> -DINPUTS=<file listing inputs> -P build_id.cmake
# Build id = first 16 hex digits of SHA-256 over the inputs' hashes and the tag.
file(STRINGS ${INPUTS} _files)
set(_acc "${TAG}")
foreach(f ${_files})
  file(SHA256 ${f} _h)
  string(APPEND _acc ";${_h}")
endforeach()
string(SHA256 _id "${_acc}")
string(SUBSTRING ${_id} 0 16 _id)
get_filename_component(_dir ${OUT} DIRECTORY)
file(WRITE ${OUT}.tmp "#define TLSRIG_BUILD_ID \"${_id}\"\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(WRITE ${_dir}/build_id.txt "${_id}\n")
