# Our own code: strict warnings as errors. Third-party code (mbedTLS sources built
# for the target) does not use this function.
function(tlsrig_strict target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes)
endfunction()
