#!/usr/bin/env python3
"""Hand-written mutants: each a small edit of the library plus the tests that must catch it.

Every mutant is applied to a copy of the repository, the tests are rebuilt, the filter is run,
and the edit is undone; a mutant is killed when a test fails. The unmutated copy is checked
first: every filter must pass there, or a kill would mean nothing. Not part of .ci/run (about
a minute per mutant on 2 cores). Usage:

    python3 tests/mutation/handwritten.py            # all mutants
    python3 tests/mutation/handwritten.py N1 S2      # some, by id
"""
import os, shutil, subprocess, sys, tempfile, time

# (id, file under src/, text to find (exactly once), replacement, test filter, the bug it models)
MUTANTS = [
    ("O1", "Backprop/Optimizers/GradientDescent.cs", "p[i] += Nesterov ? mu * v[i] - eta * g[i] : v[i];", "p[i] += v[i];",
     "FullyQualifiedName~OptimizerRuleTests", "Nesterov behaves exactly like plain momentum"),
    ("O2", "Backprop/Optimizers/GradientDescent.cs", "v[i] = mu * v[i] - eta * g[i];", "v[i] = mu * mu * v[i] - eta * g[i];",
     "FullyQualifiedName~OptimizerRuleTests", "momentum decays the velocity twice"),
    ("O3", "Backprop/Training/OptimizerRegistry.cs", "o.Momentum, nesterov: true)", "o.Momentum, nesterov: false)",
     "FullyQualifiedName~OptimizerRuleTests", "the trainer builds plain momentum for Nesterov"),
    ("O4", "Backprop/Optimizers/Rprop.cs", "g = T.Zero; // iRprop-", "// iRprop-",
     "FullyQualifiedName~OptimizerRuleTests", "iRprop- keeps the gradient after a sign flip (Rprop+ without backtracking)"),
    ("O5", "Backprop/Optimizers/Rprop.cs", "Increase = 1.2,", "Increase = 1.25,",
     "FullyQualifiedName~OptimizerRuleTests", "iRprop- grows its steps by the wrong factor"),
    ("O6", "Backprop/Optimizers/Lbfgs.cs", "double gamma = Dot(_s[_newest], _y[_newest]) / Dot(_y[_newest], _y[_newest]);", "double gamma = 1;",
     "FullyQualifiedName~OptimizerRuleTests", "L-BFGS drops the initial Hessian scaling"),
    ("O7", "Backprop/Optimizers/Lbfgs.cs", "Axpy(_direction, _alpha[k] - beta, _s[k]);", "Axpy(_direction, _alpha[k] + beta, _s[k]);",
     "FullyQualifiedName~OptimizerRuleTests", "L-BFGS's second loop adds beta"),
    ("O8", "Backprop/Optimizers/Adam.cs", "learningRate * sqrtC2 / (1 - Math.Pow(Beta1, Steps))", "learningRate * sqrtC2",
     "FullyQualifiedName~OptimizerRuleTests", "Adam forgets the first moment's bias correction"),
    ("M1", "Backprop/Regression/RegressionScores.cs", "Math.Sqrt(sse / totalWeight), sae / totalWeight, per)", "Math.Sqrt(sse / totalWeight), Math.Sqrt(sse / totalWeight), per)",
     "FullyQualifiedName~MetricFormulaTests|FullyQualifiedName~Evaluate_prints_metrics", "MAE reported as RMSE"),
    ("M2", "Backprop/Regression/RegressionScores.cs", "mean += w * targets[i * outputs + k];", "mean += targets[i * outputs + k];",
     "FullyQualifiedName~MetricFormulaTests", "R2's mean ignores the weights"),
    ("M3", "Backprop/Regression/RegressionScores.cs", "return new RegressionScores(r2Sum / outputs,", "return new RegressionScores(per[0].Item1,",
     "FullyQualifiedName~MetricFormulaTests", "overall R2 is the first target's"),
    ("A1", "Backprop/Serialization/ModelFile.cs", "public static void Write(ModelDocument document, string path) => AtomicFile.Write(path, s => Write(document, s));",
     "public static void Write(ModelDocument document, string path) { using var s = File.Create(path); Write(document, s); }",
     "FullyQualifiedName~AtomicFileTests", "the model file is written in place"),
    ("A2", "Backprop/Serialization/AtomicFile.cs", "        RemoveStaleTemporaries(folder, name);\n", "",
     "FullyQualifiedName~AtomicFileTests", "killed writers' temporaries are never removed"),
    ("A3", "Backprop/Serialization/FolderFlush.cs", "if (descriptor < 0)\n            return false;", "if (descriptor < 0)\n            return true;",
     "FullyQualifiedName~AtomicFileTests", "the folder flush reports success without flushing"),
    ("L1", "Backprop/Serialization/ModelFile.cs", "switch (OutputBound.FirstOverflow(d))", "switch (OutputBound.FirstOverflow(d) * 0)",
     "FullyQualifiedName~ModelLoadValidationTests|FullyQualifiedName~Hostile.ModelFileProperties", "weights that overflow load (a model predicting NaN or infinity)"),
    ("L2", "Backprop/Serialization/OutputBound.cs", "Activation.Sigmoid or Activation.Tanh => 1,", "Activation.Sigmoid or Activation.Tanh => 1e-300,",
     "FullyQualifiedName~ModelLoadValidationTests", "the bound treats bounded activations as nearly zero"),
    ("T1", "Backprop/Training/Interruption.cs", "clock.Elapsed >= limit ?", "clock.Elapsed >= limit * 20 ?",
     "FullyQualifiedName~TimeBudgetTests", "a 300 ms budget is honoured inside an epoch only after 6 s"),
    ("T2", "Backprop/Training/StoppingPolicy.cs", "elapsed >= budget)", "elapsed >= budget * 20)",
     "FullyQualifiedName~TimeBudgetTests|FullyQualifiedName~StoppingPolicyTests", "a 300 ms budget is honoured between epochs only after 6 s"),
    ("R1", "Backprop/Tables/LoadedFit.cs", "if (resumeFrom.Model.Data?.Sha256 != dataHash)", "if (resumeFrom.Model.Data?.Sha256 is null)",
     "FullyQualifiedName~ResumeMismatchTests", "a checkpoint resumes on other data"),
    ("R2", "Backprop/Tables/TableOptions.cs", "JsonNode.DeepEquals(Comparable(mine), Comparable(theirs))", "JsonNode.DeepEquals(Comparable(theirs), Comparable(theirs))",
     "FullyQualifiedName~ResumeMismatchTests|FullyQualifiedName~TableOptionsTests", "a checkpoint resumes with other training options"),
    ("R3", "Backprop/Tables/LoadedFit.cs", "if (model.FeatureCount != fit.Features || model.TargetCount != fit.Outputs)", "if (model.TargetCount != fit.Outputs)",
     "FullyQualifiedName~ResumeMismatchTests", "a checkpoint resumes on a narrower encoding"),
    ("W1", "Backprop/Training/Trainer.cs", "double rate = _schedule.Rate(EpochsCompleted, options.LearningRate);", "double rate = _schedule.Rate(EpochsCompleted, options.LearningRate) * 1.00005;",
     "FullyQualifiedName~W1ReferenceTests", "every step 0.005% too long (W1's float weights off by 2.6e-6: passed the old 1e-4 tolerance)"),
    ("S1", "Backprop/Training/StoppingPolicy.cs", "else if (++Stale >= _options.Patience)", "else if (++Stale > _options.Patience)",
     "FullyQualifiedName~StoppingPolicyTests|FullyQualifiedName~EarlyStoppingPatienceTests|FullyQualifiedName~TrainingBehaviourTests", "early stopping waits one epoch more than its patience"),
    ("S2", "Backprop/Training/StoppingPolicy.cs", "bool improved = monitored < BestLoss - _options.Tolerance;", "bool improved = monitored < BestLoss + _options.Tolerance;",
     "FullyQualifiedName~StoppingPolicyTests|FullyQualifiedName~EarlyStoppingPatienceTests|FullyQualifiedName~TrainingBehaviourTests", "an epoch that is worse within the tolerance counts as an improvement"),
    ("S3", "Backprop/Training/StoppingPolicy.cs", "public const double DivergedGrowth = 2;", "public const double DivergedGrowth = 20;",
     "FullyQualifiedName~StoppingPolicyTests|FullyQualifiedName~TrainingBehaviourTests", "a run whose loss grew tenfold is not called diverged"),
    # The condition stays (an `if (false)` is unreachable code, a warning and so a compile error).
    ("S4", "Backprop/Training/StoppingPolicy.cs", "stop = StopReason.Converged;", "stop = null;",
     "FullyQualifiedName~StoppingPolicyTests|FullyQualifiedName~TrainingBehaviourTests|FullyQualifiedName~OptimizerRuleTests", "a stalled L-BFGS never reports convergence"),
    ("F1", "Backprop/Losses/Huber.cs", "delta * (r - 0.5 * delta)", "delta * (r + 0.5 * delta)",
     "FullyQualifiedName~LossFormulaTests", "Huber's linear part is offset the wrong way"),
    ("F2", "Backprop/Losses/LossFunction.cs", "if (Kind == LossKind.SquaredError && weights.IsEmpty)", "if (Kind == LossKind.SquaredError || weights.IsEmpty)",
     "FullyQualifiedName~LossFormulaTests", "absolute and Huber losses take the squared error's fast path"),
    ("F3", "Backprop/Activations/LeakyRelu.cs", "public const double Slope = 0.01;", "public const double Slope = 0.02;",
     "FullyQualifiedName~GradientCheckTests|FullyQualifiedName~PassValuesTests", "leaky ReLU's slope differs from the documented 0.01"),
    ("F4", "Backprop/Activations/Gelu.cs", "public const double K = 0.044715;", "public const double K = 0.04;",
     "FullyQualifiedName~GradientCheckTests|FullyQualifiedName~PassValuesTests|FullyQualifiedName~OnnxExportTests", "GELU's cubic coefficient is not the ONNX one"),
    ("P1", "Backprop/Preprocessing/Standardizer.cs", "Math.Sqrt(scale[j] / totalWeight)", "Math.Sqrt(scale[j] / (totalWeight - 1))",
     "FullyQualifiedName~StandardizerTests", "the sample deviation instead of the population one"),
    ("P2", "Backprop/Preprocessing/Standardizer.cs", "row[j] = row[j] * Scale[j] + Mean[j];", "row[j] = (row[j] + Mean[j]) * Scale[j];",
     "FullyQualifiedName~StandardizerTests", "the inverse transform adds the mean before scaling"),
]


def run(cmd, cwd, log):
    with open(log, "a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        return subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT).returncode


def build(work, log):
    return run(["dotnet", "build", "tests/Backprop.Tests", "-c", "Release", "--no-restore", "-v", "q", "-nologo"], work, log) == 0


def test(work, filter_, log):
    return run(["dotnet", "test", "tests/Backprop.Tests", "-c", "Release", "--no-build", "--filter", filter_], work, log) == 0


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    chosen = [m for m in MUTANTS if len(sys.argv) < 2 or m[0] in sys.argv[1:]]
    out = os.path.join(repo, "out", "mutation")
    os.makedirs(out, exist_ok=True)
    log = os.path.join(out, "handwritten.log")
    open(log, "w").close()
    os.environ.update(DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1")
    work = tempfile.mkdtemp(prefix="backprop-mutants-")
    try:
        files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=repo, capture_output=True, check=True).stdout.split(b"\0")
        for name in filter(None, (f.decode() for f in files)):
            os.makedirs(os.path.join(work, os.path.dirname(name)), exist_ok=True)
            shutil.copy2(os.path.join(repo, name), os.path.join(work, name))
        if run(["dotnet", "restore", "tests/Backprop.Tests"], work, log) != 0 or not build(work, log):
            sys.exit(f"the unmutated copy does not build (see {log})")
        # Every filter together, in one run: the filters are alternatives joined by '|' already.
        if not test(work, "|".join(sorted({m[4] for m in chosen})), log):
            sys.exit(f"a filter's tests fail on the unmutated code (see {log})")
        killed = 0
        rows = []
        for id_, file, old, new, filter_, what in chosen:
            path = os.path.join(work, "src", file)
            text = open(path).read()
            if text.count(old) != 1:
                sys.exit(f"{id_}: the text to mutate occurs {text.count(old)} times in src/{file}")
            open(path, "w").write(text.replace(old, new))
            start = time.time()
            try:
                if not build(work, log):
                    status = "compile error"
                elif test(work, filter_, log):
                    status = "SURVIVED"
                else:
                    status = "killed"
                    killed += 1
            finally:
                open(path, "w").write(text)
            rows.append((id_, status, what))
            print(f"{id_:3} {status:13} {time.time() - start:5.0f} s  {what}", flush=True)
        tested = sum(1 for r in rows if r[1] != "compile error")
        print(f"killed {killed} of {tested} ({100.0 * killed / max(tested, 1):.0f}%)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
