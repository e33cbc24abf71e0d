#include "citytwin/ui/variant_document.hpp"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QUndoCommand>
#include <cstdio>
#include <sstream>

#include "citytwin/version.hpp"

namespace citytwin::ui {

namespace {

class AddEdit : public QUndoCommand {
 public:
  AddEdit(VariantDocument* doc, InterventionEdit edit)
      : QUndoCommand(QString::fromStdString(edit.summary)),
        doc_(doc),
        edit_(std::move(edit)),
        index_(static_cast<int>(doc->edits().size())) {}
  void redo() override { doc_->insertAt(index_, edit_); }
  void undo() override { doc_->eraseAt(index_); }

 private:
  VariantDocument* doc_;
  InterventionEdit edit_;
  int index_;
};

class RemoveEdit : public QUndoCommand {
 public:
  RemoveEdit(VariantDocument* doc, int index)
      : QUndoCommand(QObject::tr("Remove %1")
                         .arg(QString::fromStdString(
                             doc->edits()[static_cast<std::size_t>(index)].summary))),
        doc_(doc),
        edit_(doc->edits()[static_cast<std::size_t>(index)]),
        index_(index) {}
  void redo() override { doc_->eraseAt(index_); }
  void undo() override { doc_->insertAt(index_, edit_); }

 private:
  VariantDocument* doc_;
  InterventionEdit edit_;
  int index_;
};

}  // namespace

VariantDocument::VariantDocument(QObject* parent) : QObject(parent) {
  connect(&undo_, &QUndoStack::cleanChanged, this, &VariantDocument::changed);
}

void VariantDocument::startFrom(const QString& base_path, const QString& base_name,
                                const geodata::LocalFrame& frame) {
  base_path_ = QFileInfo(base_path).absoluteFilePath();
  name_ = base_name + tr(" - variant");
  frame_ = frame;
  path_.clear();
  undo_.clear();
  edits_.clear();
  Q_EMIT changed();
}

void VariantDocument::add(const InterventionEdit& edit) {
  undo_.push(new AddEdit(this, edit));
}

void VariantDocument::remove(int index) {
  if (index < 0 || index >= static_cast<int>(edits_.size())) return;
  undo_.push(new RemoveEdit(this, index));
}

void VariantDocument::insertAt(int index, const InterventionEdit& edit) {
  edits_.insert(edits_.begin() + index, edit);
  Q_EMIT changed();
}

void VariantDocument::eraseAt(int index) {
  edits_.erase(edits_.begin() + index);
  Q_EMIT changed();
}

std::string VariantDocument::point(const geodata::Vec2& local) const {
  const auto p = frame_.toProjected(local);
  char s[64];
  std::snprintf(s, sizeof s, "[%.2f, %.2f]", p.x, p.y);
  return s;
}

namespace {
/// A YAML double-quoted scalar (JSON escapes are valid YAML).
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string VariantDocument::yaml(const QString& variant_path) const {
  const QDir dir = QFileInfo(variant_path).absoluteDir();
  std::ostringstream y;
  y << "# Variant made in CityTwin Studio " << kVersion << ": the base scenario with the\n"
    << "# interventions below. Coordinates are " << frame_.crs << ".\n";
  y << "name: " << quoted(name_.toStdString()) << "\n";
  y << "base: " << quoted(dir.relativeFilePath(base_path_).toStdString()) << "\n";
  y << "crs: " << frame_.crs << "\n";
  y << "description: >\n";
  for (const auto& e : edits_) y << "  " << e.summary << ".\n";
  if (edits_.empty()) y << "  No changes yet.\n";
  y << "interventions:";
  if (edits_.empty()) y << " []";
  y << "\n";
  for (const auto& e : edits_) y << "  - " << e.kind << ": " << e.body << "\n";
  return y.str();
}

bool VariantDocument::save(const QString& path, QString* error) {
  QSaveFile out(path);
  if (!out.open(QIODevice::WriteOnly | QIODevice::Text)) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, out.errorString());
    return false;
  }
  const std::string text = yaml(path);
  out.write(text.data(), static_cast<qint64>(text.size()));
  if (!out.commit()) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, out.errorString());
    return false;
  }
  path_ = QFileInfo(path).absoluteFilePath();
  undo_.setClean();
  Q_EMIT changed();
  return true;
}

EditOverlay VariantDocument::overlay() const {
  EditOverlay o;
  for (const auto& e : edits_) {
    if (!e.area.empty()) o.closed_areas.push_back(e.area);
    if (e.line.size() >= 2) o.fences.push_back(e.line);
    o.markers.insert(o.markers.end(), e.markers.begin(), e.markers.end());
  }
  return o;
}

}  // namespace citytwin::ui
