#include "citytwin/ui/compare_report_job.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace citytwin::ui {

CompareReportJob::CompareReportJob(QObject* parent) : QObject(parent) {
  process_.setProcessChannelMode(QProcess::MergedChannels);
  connect(&process_, &QProcess::readyRead, this, &CompareReportJob::readOutput);
  connect(&process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
    readOutput();
    if (cancelled_) {
      Q_EMIT finished(false, tr("The comparison was cancelled."));
    } else if (status != QProcess::NormalExit || code != 0) {
      // The engine's own message names the file and what to do; show its last lines.
      QStringList lines = output_.trimmed().split('\n');
      if (lines.size() > 8) lines = lines.mid(lines.size() - 8);
      Q_EMIT finished(false,
                      tr("citytwin compare failed (exit %1):\n%2").arg(code).arg(lines.join('\n')));
    } else if (!QFileInfo::exists(reportPath())) {
      Q_EMIT finished(false, tr("citytwin compare wrote no report at %1").arg(reportPath()));
    } else {
      Q_EMIT finished(true, {});
    }
  });
  connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart)
      Q_EMIT finished(false,
                      tr("Cannot start %1: %2").arg(process_.program(), process_.errorString()));
  });
}

CompareReportJob::~CompareReportJob() {
  if (isRunning()) {
    process_.kill();
    process_.waitForFinished(3000);
  }
}

QString CompareReportJob::findCli() {
  const QString env = qEnvironmentVariable("CITYTWIN_CLI");
  if (!env.isEmpty()) return QFileInfo(env).isExecutable() ? env : QString();
  const QDir here(QCoreApplication::applicationDirPath());
  for (const QString& candidate : {here.filePath("citytwin"),
#ifdef CITYTWIN_CLI_BUILD_PATH
                                   QString(CITYTWIN_CLI_BUILD_PATH),
#endif
                                   QStandardPaths::findExecutable("citytwin")})
    if (!candidate.isEmpty() && QFileInfo(candidate).isExecutable()) return candidate;
  return {};
}

QString CompareReportJob::reportPath() const {
  return QDir(out_dir_).filePath("report.html");
}

void CompareReportJob::start(const QStringList& scenarios, const QString& out_dir, int replications,
                             int threads) {
  out_dir_ = out_dir;
  output_.clear();
  cancelled_ = false;
  const QString cli = findCli();
  if (cli.isEmpty()) {
    Q_EMIT finished(false, tr("The citytwin command was not found beside citytwin-studio nor on "
                              "PATH; set CITYTWIN_CLI to its path."));
    return;
  }
  QStringList args{"compare"};
  args << scenarios << "--out" << out_dir << "--replications" << QString::number(replications);
  if (threads > 0) args << "--threads" << QString::number(threads);
  process_.start(cli, args);
}

void CompareReportJob::cancel() {
  if (!isRunning()) return;
  cancelled_ = true;
  process_.terminate();
  if (!process_.waitForFinished(3000)) process_.kill();
}

void CompareReportJob::readOutput() {
  const QString text = QString::fromUtf8(process_.readAll());
  output_ += text;
  // Progress lines look like "[  12.3s]  45% stage" when not on a terminal.
  static const QRegularExpression line(R"(\]\s*(\d+)%\s+([^\r\n]*))");
  auto it = line.globalMatch(text);
  while (it.hasNext()) {
    const auto m = it.next();
    Q_EMIT progress(m.captured(1).toDouble() / 100.0, m.captured(2).trimmed());
  }
}

}  // namespace citytwin::ui
