#pragma once
// The variant a planner makes by hand: a base scenario plus the interventions added in the
// view (close a street, draw a fence, change a gate or a signal plan). Every edit is an undoable
// command; saving writes an ordinary variant scenario file (`base:` + `interventions:`) that
// the headless `citytwin run` and `citytwin compare` read as they read any other.
#include <QObject>
#include <QString>
#include <QUndoStack>
#include <string>
#include <vector>

#include "citytwin/geodata/frame.hpp"
#include "citytwin/ui/city_view.hpp"

namespace citytwin::ui {

struct InterventionEdit {
  std::string kind;     ///< the intervention's key: close_road, close_area, barrier, gate, ...
  std::string body;     ///< its YAML flow mapping, coordinates in the file's CRS
  std::string summary;  ///< one line for the list
  /// What the view draws for it (local frame).
  geodata::Polygon2 area;
  std::vector<geodata::Vec2> line;
  std::vector<geodata::Vec2> markers;
};

class VariantDocument : public QObject {
  Q_OBJECT

 public:
  explicit VariantDocument(QObject* parent = nullptr);

  /// Starts a new variant of `base_path` (its interventions so far are dropped).
  void startFrom(const QString& base_path, const QString& base_name,
                 const geodata::LocalFrame& frame);
  bool hasBase() const { return !base_path_.isEmpty(); }
  QString basePath() const { return base_path_; }
  const geodata::LocalFrame& frame() const { return frame_; }

  void add(const InterventionEdit& edit);  ///< undoable
  void remove(int index);                  ///< undoable
  const std::vector<InterventionEdit>& edits() const { return edits_; }
  QUndoStack* undoStack() { return &undo_; }

  void setName(const QString& name) { name_ = name; }
  QString name() const { return name_; }
  /// The variant file's text; `base:` is written relative to `variant_path`'s folder.
  std::string yaml(const QString& variant_path) const;
  /// Writes the file (through a temporary file, so that a failed write leaves the old one);
  /// returns false and sets `error` when it cannot.
  bool save(const QString& path, QString* error);
  QString path() const { return path_; }
  bool isModified() const { return !undo_.isClean(); }

  EditOverlay overlay() const;
  /// Local coordinates to the file's CRS, as text "[x, y]".
  std::string point(const geodata::Vec2& local) const;

  // The commands' own access (undo/redo).
  void insertAt(int index, const InterventionEdit& edit);
  void eraseAt(int index);

 Q_SIGNALS:
  void changed();

 private:
  QString base_path_, name_, path_;
  geodata::LocalFrame frame_;
  std::vector<InterventionEdit> edits_;
  QUndoStack undo_;
};

}  // namespace citytwin::ui
