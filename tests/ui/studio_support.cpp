#include "studio_support.hpp"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <cstdlib>

namespace citytwin::test {

bool waitUntil(const std::function<bool()>& done, double seconds) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > seconds * 1000) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    QThread::msleep(5);
  }
  return true;
}

PixelDifference layerDifference(const QImage& with, const QImage& without,
                                const std::function<bool(QColor)>& colour_test) {
  PixelDifference d;
  const QImage a = with.convertToFormat(QImage::Format_RGB32);
  const QImage b = without.convertToFormat(QImage::Format_RGB32);
  for (int y = 0; y < std::min(a.height(), b.height()); ++y)
    for (int x = 0; x < std::min(a.width(), b.width()); ++x) {
      const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
      if (std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) +
              std::abs(qBlue(p) - qBlue(q)) <
          24)
        continue;
      ++d.changed;
      if (colour_test(QColor(p))) ++d.matching;
    }
  return d;
}

}  // namespace citytwin::test
