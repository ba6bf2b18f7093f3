using System.Runtime.ExceptionServices;

namespace Backprop.Tables.Search;

/// <summary>Runs numbered jobs on several threads, started in number order; each job writes only its own slot, so the results do not depend on the threads.</summary>
internal static class InOrder
{
    public static void Run(int count, int threads, Action<int> job)
    {
        int next = -1;
        void Worker()
        {
            int j;
            while ((j = Interlocked.Increment(ref next)) < count)
                job(j);
        }
        int workers = Math.Clamp(threads, 1, Math.Max(1, count));
        if (workers == 1)
        {
            Worker();
            return;
        }
        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(Worker, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException e)
        {
            // The first failure as itself, with its own stack, not wrapped.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
