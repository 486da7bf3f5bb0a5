/* The JNI baseline for the Downcall benchmark: an empty static native method. */
#include <jni.h>

JNIEXPORT void JNICALL Java_dev_torchffm_bench_JniNoop_noop(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
}
