#!/usr/bin/env bash
# Mutation testing with Stryker.NET (pinned in .config/dotnet-tools.json), folder by folder.
# Not part of .ci/run: on 2 cores it takes tens of minutes. Usage:
#   bash tests/mutation/run.sh                  # every folder below
#   bash tests/mutation/run.sh Losses Optimizers  # some of them
# Each folder gets its own run, bounded by MUTATION_TIMEOUT (seconds, default 1800), in a copy of
# the repository (Stryker overwrites the test project's build output with mutated assemblies, so
# it must not share bin/ with a developer's builds). Reports go to out/mutation/<folder>/.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/out/mutation"
limit="${MUTATION_TIMEOUT:-1800}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# folder -> files to mutate (relative to src/Backprop) and the fast unit tests that guard them.
# The filters name test classes, not whole namespaces, so that no CLI process or packaging run
# is started per mutant.
declare -A mutate filter
mutate[Optimizers]='**/Optimizers/**/*.cs'
filter[Optimizers]='FullyQualifiedName~OptimizerRuleTests|FullyQualifiedName~TrainingBehaviourTests|FullyQualifiedName~CheckpointTests|FullyQualifiedName~OnlineTrainingTests|FullyQualifiedName~KernelTests'
mutate[Losses]='**/Losses/**/*.cs'
filter[Losses]='FullyQualifiedName~GradientCheckTests|FullyQualifiedName~PassValuesTests|FullyQualifiedName~LossFormulaTests'
mutate[Activations]='**/Activations/**/*.cs'
filter[Activations]='FullyQualifiedName~GradientCheckTests|FullyQualifiedName~PassValuesTests|FullyQualifiedName~VectorMathTests'
mutate[RegressionScores]='**/Regression/RegressionScores.cs'
filter[RegressionScores]='FullyQualifiedName~MetricFormulaTests'
mutate[Serialization]='**/Serialization/**/*.cs'
filter[Serialization]='FullyQualifiedName~ModelFileTests|FullyQualifiedName~AtomicFileTests|FullyQualifiedName~CheckpointTests|FullyQualifiedName~Hostile.ModelFileProperties|FullyQualifiedName~ModelLoadValidationTests'
mutate[Stopping]='**/Training/StoppingPolicy.cs'
filter[Stopping]='FullyQualifiedName~StoppingPolicyTests|FullyQualifiedName~EarlyStoppingPatienceTests|FullyQualifiedName~TrainingBehaviourTests|FullyQualifiedName~TimeBudgetTests|FullyQualifiedName~CheckpointTests|FullyQualifiedName~OptimizerRuleTests'
mutate[Preprocessing]='**/Preprocessing/**/*.cs'
filter[Preprocessing]='FullyQualifiedName~StandardizerTests|FullyQualifiedName~ModelFileTests|FullyQualifiedName~LearningTests'
folders=(RegressionScores Losses Preprocessing Optimizers Serialization Activations Stopping)
[ "$#" -gt 0 ] && folders=("$@")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The working tree as it is (committed or not), without build output.
(cd "$repo" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$work" 2>/dev/null)
cd "$work" && dotnet tool restore >/dev/null

for folder in "${folders[@]}"; do
  [ -n "${mutate[$folder]:-}" ] || { echo "unknown folder: $folder (known: ${!mutate[*]})"; exit 2; }
  mkdir -p "$out/$folder"
  echo "== $folder: mutating ${mutate[$folder]}"
  (cd "$work/tests/Backprop.Tests" && timeout "$limit" dotnet stryker \
      --project Backprop.csproj --configuration Release --concurrency 1 \
      --mutate "${mutate[$folder]}" --test-case-filter "${filter[$folder]}" \
      --reporter ClearText --reporter Json --reporter Progress \
      --output "$out/$folder" --skip-version-check) >"$out/$folder/log.txt" 2>&1
  status=$?
  [ "$status" -eq 124 ] && echo "   timed out after ${limit}s (see $out/$folder/log.txt)"
  grep -E "The final mutation score is|Killed|Survived|Timeout" "$out/$folder/log.txt" | tail -n 5
done
