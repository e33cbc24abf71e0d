// The main window's editing tools: clicks in the view become picks or interventions.
#include <QAction>
#include <QActionGroup>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QStatusBar>
#include <QTreeWidget>
#include <cmath>
#include <sstream>

#include "citytwin/engine/scenario_run.hpp"
#include "citytwin/ui/city_view.hpp"
#include "citytwin/ui/edits.hpp"
#include "citytwin/ui/main_window.hpp"
#include "citytwin/ui/observation_player.hpp"
#include "citytwin/ui/picker.hpp"
#include "citytwin/ui/simulation_session.hpp"
#include "citytwin/ui/variant_document.hpp"

namespace citytwin::ui {

void MainWindow::setTool(Tool tool) {
  if (tool_ == Tool::kDrawFence && tool != Tool::kDrawFence) cancelFence();
  tool_ = tool;
  for (auto* a : tools_->actions())
    if (a->data().toInt() == static_cast<int>(tool)) a->setChecked(true);
  view_->setCursor(tool == Tool::kSelect ? Qt::ArrowCursor : Qt::CrossCursor);
}

void MainWindow::onClicked(const geodata::Vec2& p, Qt::MouseButton button) {
  const auto* run = session_->scenario();
  if (button != Qt::LeftButton || (!run && view_->sensorMarkers().empty())) return;
  // A click may land a few pixels off a street or a person: allow about 6 pixels' worth.
  const QPointF a = view_->project(p), b = view_->project({p.x + 1.0, p.y});
  const double px_per_m = std::max(1e-3, std::hypot(b.x() - a.x(), b.y() - a.y()));
  const double tolerance = std::clamp(6.0 / px_per_m, 1.0, 15.0);
  if (!run && tool_ != Tool::kSelect) return;  // nothing to edit without a scenario
  switch (tool_) {
    case Tool::kSelect: {
      info_->clear();
      // A sensor's bar stands over the street: it comes before what lies under it.
      const auto& sensors = view_->sensorMarkers();
      const std::size_t sensor = nearestSensor(sensors, p.x, p.y, tolerance);
      if (sensor != SIZE_MAX) {
        // While measurements replay, what the sensor measured at the replay's moment.
        const bool replaying = view_->observedFrame() != nullptr;
        const double clock = replaying        ? player_->dataTime()
                             : view_->frame() ? view_->frame()->clock_s
                                              : 0.0;
        auto* top = new QTreeWidgetItem(
            info_, {tr("Sensor %1").arg(QString::fromStdString(sensors[sensor].name))});
        for (const auto& [k, v] : sensorAttributes(sensors[sensor], clock, replaying))
          new QTreeWidgetItem(top, {QString::fromStdString(k), QString::fromStdString(v)});
        top->setExpanded(true);
        return;
      }
      if (!run) return;
      const auto r = pickAt(*run, view_->frame().get(), p, tolerance);
      if (r.kind == PickKind::kNothing) return;
      auto* top = new QTreeWidgetItem(info_, {QString::fromStdString(r.title)});
      for (const auto& [k, v] : r.attributes)
        new QTreeWidgetItem(top, {QString::fromStdString(k), QString::fromStdString(v)});
      top->setExpanded(true);
      return;
    }
    case Tool::kCloseStreet: {
      const auto edit = closeStreetEdit(*run, *variant_, p);
      if (!edit) {
        statusBar()->showMessage(tr("No street within 15 m of that point"), 4000);
        return;
      }
      variant_->add(*edit);
      return;
    }
    case Tool::kDrawFence:
      fence_.push_back(p);
      view_->setEditOverlay([&] {
        auto o = variant_->overlay();
        o.drawing = fence_;
        return o;
      }());
      statusBar()->showMessage(
          tr("Fence: %1 points; double-click or Enter to finish, Esc to cancel")
              .arg(fence_.size()));
      return;
    case Tool::kGate: {
      const auto r = pickAt(*run, nullptr, p, tolerance);
      if (r.kind != PickKind::kStage ||
          run->file().crowd.stages[r.index].kind != engine::crowd::StageKind::kGate) {
        statusBar()->showMessage(tr("Click inside a gate (the green areas)"), 4000);
        return;
      }
      editGate(r.index, p);
      return;
    }
    case Tool::kSignal:
      editSignal(p);
      return;
  }
}

void MainWindow::finishFence() {
  // A double-click also lands as a click: drop the repeated last point.
  while (fence_.size() >= 2 && std::hypot(fence_.back().x - fence_[fence_.size() - 2].x,
                                          fence_.back().y - fence_[fence_.size() - 2].y) < 0.5)
    fence_.pop_back();
  if (fence_.size() >= 2) {
    int n = 1;
    for (const auto& e : variant_->edits()) n += e.kind == "barrier";
    variant_->add(barrierEdit(*variant_, "fence " + std::to_string(n), fence_));
  }
  cancelFence();
}

void MainWindow::cancelFence() {
  fence_.clear();
  view_->setEditOverlay(variant_->overlay());
}

void MainWindow::editGate(std::size_t stage_index, const geodata::Vec2& where) {
  const auto& stage = session_->scenario()->file().crowd.stages[stage_index];
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Gate %1").arg(QString::fromStdString(stage.name)));
  auto* form = new QFormLayout(&dialog);
  auto* rate = new QDoubleSpinBox;
  rate->setRange(0.1, 1000);
  rate->setDecimals(1);
  rate->setSuffix(tr(" people/s"));
  rate->setValue(stage.service_rate);
  rate->setToolTip(tr("How many people pass the whole gate per second (all its entrances)"));
  auto* opens = new QDoubleSpinBox;
  opens->setRange(0, 1e6);
  opens->setDecimals(0);
  opens->setSuffix(tr(" s"));
  opens->setValue(stage.opens_at_s);
  opens->setToolTip(tr("Nobody passes before this time (seconds since the start)"));
  form->addRow(tr("Capacity"), rate);
  form->addRow(tr("Opens at"), opens);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (dialog.exec() != QDialog::Accepted) return;
  variant_->add(gateEdit(*variant_, stage.name, rate->value(), opens->value(), where));
}

void MainWindow::editSignal(const geodata::Vec2& where) {
  const auto& city = session_->scenario()->city();
  // The nearest node with traffic lights within 50 m.
  const geodata::Node* best = nullptr;
  double best_d = 50.0;
  for (const auto& n : city.nodes)
    if (n.traffic_signals) {
      const double d = std::hypot(n.position.x - where.x, n.position.y - where.y);
      if (d < best_d) {
        best_d = d;
        best = &n;
      }
    }
  if (!best) {
    statusBar()->showMessage(tr("No traffic lights within 50 m of that point"), 4000);
    return;
  }
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Signal plan"));
  auto* form = new QFormLayout(&dialog);
  auto* greens = new QLineEdit("30, 30");
  greens->setToolTip(
      tr("Green time of each main phase in seconds, in the program's order (yellow and "
         "all-red are added)"));
  auto* radius = new QDoubleSpinBox;
  radius->setRange(0, 200);
  radius->setSuffix(tr(" m"));
  radius->setValue(0);
  radius->setToolTip(
      tr("0: only the nearest signal; more: every signal within this distance (a junction "
         "mapped as one signal per stop line)"));
  form->addRow(tr("Green times (s)"), greens);
  form->addRow(tr("Signals within"), radius);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (dialog.exec() != QDialog::Accepted) return;
  std::vector<double> green;
  for (const auto& part : greens->text().split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const double v = part.trimmed().toDouble(&ok);
    if (!ok || v <= 0) {
      showError(tr("Signal plan"),
                tr("'%1' is not a green time in seconds; write them like 30, 25.").arg(part));
      return;
    }
    green.push_back(v);
  }
  if (green.empty()) return;
  variant_->add(signalPlanEdit(*variant_, best->position, radius->value(), green));
}

void MainWindow::refreshEdits() {
  edits_->clear();
  for (const auto& e : variant_->edits()) {
    auto* item = new QListWidgetItem(QString::fromStdString(e.summary), edits_);
    item->setToolTip(QString::fromStdString("- " + e.kind + ": " + e.body));
  }
  view_->setEditOverlay(variant_->overlay());
  QString title = windowTitle();
  const bool modified = variant_->isModified() && !variant_->edits().empty();
  if (title.startsWith("* ")) title = title.mid(2);
  setWindowTitle(modified ? "* " + title : title);
}

}  // namespace citytwin::ui
