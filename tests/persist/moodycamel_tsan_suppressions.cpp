// ThreadSanitizer suppressions for this test program (read by libtsan at start-up).
//
// moodycamel::ConcurrentQueue orders a block's slots with standalone std::atomic_thread_fence,
// which TSan does not model (GCC says so with -Wtsan), so every slot reused after a dequeue is
// reported as a race between the producer's write and the consumer's earlier read. The reports
// are inside the queue's own frames only; pmx code around it stays checked.
extern "C" const char* __tsan_default_suppressions() {
  return "race:moodycamel::ConcurrentQueue\n";
}
