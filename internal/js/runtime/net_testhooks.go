package runtime

// afterResponseEnd, when set (tests only), runs in a client socket's
// reader goroutine right after it posted a response's end: a stand-in for
// a reader the scheduler starves at that point, while the loop already
// hands the socket to the next request.
var afterResponseEnd func()
