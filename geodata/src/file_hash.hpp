#pragma once
#include "citytwin/geodata/file_hash.hpp"
