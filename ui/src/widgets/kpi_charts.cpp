#include "kpi_charts.hpp"

#include <QChart>
#include <QVBoxLayout>
#include <algorithm>

namespace citytwin::ui {

KpiCharts::KpiCharts(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  counts_ = makeChart(tr("People"), tr("people"), {tr("walking"), tr("arrived")}, "%.0f");
  densities_ = makeChart(tr("Density in the zones"), tr("people/m²"), {}, "%.2f");
  traffic_counts_ =
      makeChart(tr("Vehicles"), tr("vehicles"), {tr("driving"), tr("arrived")}, "%.0f");
  traffic_speed_ =
      makeChart(tr("Mean speed of vehicles driving"), tr("km/h"), {tr("mean speed")}, "%.0f");
  // The zones' legend takes room: that chart gets more of it.
  densities_.view->setMinimumHeight(260);
  for (auto* c : {&counts_, &densities_, &traffic_counts_, &traffic_speed_})
    layout->addWidget(c->view, c == &densities_ ? 3 : 2);
  reset({}, false, false);
}

KpiCharts::Chart KpiCharts::makeChart(const QString& title, const QString& y_title,
                                      const QStringList& names, const char* y_format) {
  Chart c;
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(2, 2, 2, 2));
  c.x = new QValueAxis;
  c.x->setTitleText(tr("time (s)"));
  c.x->setLabelFormat("%.0f");
  c.y = new QValueAxis;
  c.y->setTitleText(y_title);
  c.y->setLabelFormat(y_format);
  chart->addAxis(c.x, Qt::AlignBottom);
  chart->addAxis(c.y, Qt::AlignLeft);
  for (const auto& n : names) {
    auto* s = new QLineSeries;
    s->setName(n);
    chart->addSeries(s);
    s->attachAxis(c.x);
    s->attachAxis(c.y);
    c.series.push_back(s);
  }
  c.view = new QChartView(chart);
  c.view->setRenderHint(QPainter::Antialiasing);
  c.view->setMinimumHeight(170);
  return c;
}

void KpiCharts::reset(const std::vector<std::string>& zones, bool crowd, bool traffic) {
  crowd_ = crowd;
  traffic_ = traffic;
  auto* chart = densities_.view->chart();
  for (auto* s : densities_.series) {
    chart->removeSeries(s);
    delete s;
  }
  densities_.series.clear();
  for (const auto& z : zones) {
    auto* s = new QLineSeries;
    s->setName(QString::fromStdString(z));
    chart->addSeries(s);
    s->attachAxis(densities_.x);
    s->attachAxis(densities_.y);
    densities_.series.push_back(s);
  }
  for (auto* c : {&counts_, &densities_, &traffic_counts_, &traffic_speed_})
    for (auto* s : c->series) s->clear();
  counts_.view->setVisible(crowd);
  densities_.view->setVisible(crowd && !zones.empty());
  traffic_counts_.view->setVisible(traffic);
  traffic_speed_.view->setVisible(traffic);
}

void KpiCharts::fill(Chart& chart, const std::vector<std::vector<QPointF>>& points) {
  double x_max = 1.0, y_max = 0.0;
  for (std::size_t k = 0; k < chart.series.size() && k < points.size(); ++k) {
    chart.series[k]->replace(QList<QPointF>(points[k].begin(), points[k].end()));
    for (const auto& p : points[k]) {
      x_max = std::max(x_max, p.x());
      y_max = std::max(y_max, p.y());
    }
  }
  // Round ticks (0, 5000, 10000 rather than 0, 6313.2, 12626.4).
  chart.x->setRange(0.0, x_max);
  chart.x->applyNiceNumbers();
  chart.y->setRange(0.0, y_max > 0 ? y_max * 1.05 : 1.0);
  chart.y->applyNiceNumbers();
}

void KpiCharts::refresh(const FrameHistory& history) {
  const auto& frames = history.frames();
  std::vector<std::vector<QPointF>> counts(2), dens(densities_.series.size()), tc(2), ts(1);
  for (const auto& f : frames) {
    const double t = f->elapsed_s;
    counts[0].push_back({t, static_cast<double>(f->kpis.people)});
    counts[1].push_back({t, static_cast<double>(f->kpis.people_arrived)});
    for (std::size_t z = 0; z < dens.size() && z < f->zone_density.size(); ++z)
      dens[z].push_back({t, f->zone_density[z]});
    tc[0].push_back({t, static_cast<double>(f->kpis.vehicles)});
    tc[1].push_back({t, static_cast<double>(f->kpis.vehicles_arrived)});
    ts[0].push_back({t, f->kpis.vehicles_mean_speed * 3.6});
  }
  if (crowd_) {
    fill(counts_, counts);
    fill(densities_, dens);
  }
  if (traffic_) {
    fill(traffic_counts_, tc);
    fill(traffic_speed_, ts);
  }
}

int KpiCharts::pointCount() const {
  int n = 0;
  for (const auto* c : {&counts_, &densities_, &traffic_counts_, &traffic_speed_})
    for (auto* s : c->series) n += static_cast<int>(s->count());
  return n;
}

}  // namespace citytwin::ui
