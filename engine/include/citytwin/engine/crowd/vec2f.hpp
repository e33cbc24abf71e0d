#pragma once
// Single-precision 2D vectors for the crowd's hot loops (local frame coordinates are small).
#include <cmath>

namespace citytwin::engine::crowd {

struct Vec2f {
  float x = 0.0f;
  float y = 0.0f;
  friend Vec2f operator+(Vec2f a, Vec2f b) { return {a.x + b.x, a.y + b.y}; }
  friend Vec2f operator-(Vec2f a, Vec2f b) { return {a.x - b.x, a.y - b.y}; }
  friend Vec2f operator*(Vec2f a, float s) { return {a.x * s, a.y * s}; }
  friend Vec2f operator*(float s, Vec2f a) { return {a.x * s, a.y * s}; }
  Vec2f& operator+=(Vec2f b) {
    x += b.x;
    y += b.y;
    return *this;
  }
  friend bool operator==(Vec2f, Vec2f) = default;
};

inline float dot(Vec2f a, Vec2f b) {
  return a.x * b.x + a.y * b.y;
}
inline float cross(Vec2f a, Vec2f b) {
  return a.x * b.y - a.y * b.x;
}
inline float norm(Vec2f a) {
  return std::sqrt(dot(a, a));
}
inline Vec2f normalized(Vec2f a) {
  const float n = norm(a);
  return n > 1e-9f ? a * (1.0f / n) : Vec2f{};
}

}  // namespace citytwin::engine::crowd
