#pragma once
// Live charts of the key figures beside the 3D view (Qt Charts): people walking and arrived,
// the density in each measurement zone, vehicles driving and arrived, their mean speed.
#include <QChartView>
#include <QLineSeries>
#include <QValueAxis>
#include <QWidget>
#include <vector>

#include "citytwin/ui/frame_history.hpp"

namespace citytwin::ui {

class KpiCharts : public QWidget {
  Q_OBJECT

 public:
  explicit KpiCharts(QWidget* parent = nullptr);
  /// Sets the series up for a scenario: zone names for the density chart, traffic or not.
  void reset(const std::vector<std::string>& zones, bool crowd, bool traffic);
  /// Redraws from the recorded frames, and marks the time shown.
  void refresh(const FrameHistory& history);
  /// Points drawn in all series (tests).
  int pointCount() const;

 private:
  struct Chart {
    QChartView* view = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
    std::vector<QLineSeries*> series;
  };
  Chart makeChart(const QString& title, const QString& y_title, const QStringList& names,
                  const char* y_format);
  void fill(Chart& chart, const std::vector<std::vector<QPointF>>& points);

  Chart counts_, densities_, traffic_counts_, traffic_speed_;
  bool crowd_ = false, traffic_ = false;
};

}  // namespace citytwin::ui
