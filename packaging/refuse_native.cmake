# Run by cpack before packaging a build configured with GRADSCOPE_NATIVE=ON: such binaries use
# every instruction of the build machine's CPU and may crash elsewhere. scripts/package configures
# a portable build (GRADSCOPE_NATIVE=OFF, GRADSCOPE_MARCH=x86-64-v2) and packages that instead.
message(FATAL_ERROR "this build uses -march=native; a package must be portable: run scripts/package "
                    "(or configure with -DGRADSCOPE_NATIVE=OFF -DGRADSCOPE_MARCH=x86-64-v2)")
