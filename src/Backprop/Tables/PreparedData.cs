using Backprop.Data.Columns;
using Backprop.Regression;
using Backprop.Serialization;

namespace Backprop.Tables;

/// <summary>A loaded file ready to train on: the encoding learned on the training rows, and every part encoded with it.</summary>
/// <param name="Path">The training file.</param>
/// <param name="Encoder">The encoding, fitted on the training rows.</param>
/// <param name="Training">The training rows (all of them, before any validation hold-out), targets in their own units.</param>
/// <param name="Test">The test rows, or null.</param>
/// <param name="Summary">What was read; the train and validation counts are the trainer's to fill in.</param>
/// <param name="TrainedOn">The training file's fingerprint.</param>
internal sealed record PreparedData(string Path, TableEncoder Encoder, DataSet Training, DataSet? Test, DataSummary Summary, DataFingerprint TrainedOn);
