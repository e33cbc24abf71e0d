#pragma once
// Helpers for the UI tests: waiting for signals, and pixel statistics of pictures.
#include <QImage>
#include <QObject>
#include <QSignalSpy>
#include <functional>

namespace citytwin::test {

/// Processes events until `done` holds or `seconds` pass; returns done().
bool waitUntil(const std::function<bool()>& done, double seconds);

struct PixelDifference {
  int changed = 0;   ///< pixels that differ by more than a small tolerance
  int matching = 0;  ///< of those, the ones whose colour in `with` passes `colour_test`
};
/// Compares a picture with a layer shown against one with it hidden.
PixelDifference layerDifference(const QImage& with, const QImage& without,
                                const std::function<bool(QColor)>& colour_test);

}  // namespace citytwin::test
