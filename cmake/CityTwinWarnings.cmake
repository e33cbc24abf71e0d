# Strict warnings for CityTwin's own targets only (third-party headers are included as SYSTEM).
function(citytwin_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow=local -Wnon-virtual-dtor)
endfunction()
