#pragma once
// One client's HTTP/1.1 connection on the event-driven server (EventDrivenHttpServer). A worker
// thread calls serve() when the socket has data; it answers every request already readable, with
// Poco's own request parser and response writer (HTTPServerSession, HTTPServerRequestImpl,
// HTTPServerResponseImpl, as Poco's HTTPServerConnection uses them), and returns as soon as the
// client has nothing more to say: the idle connection goes back to the event loop, and the
// thread to other clients. So an idle keep-alive connection costs a socket, not a thread.
//
// The Poco session lives as long as the connection: its read buffer (which may already hold the
// next pipelined request) survives the trips to the loop, and destroying it closes the socket.
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>

namespace mcph::http {

class HttpConnection {
  public:
    enum class Outcome {
        Idle,      // waits for the client's next request: park it in the loop
        Closed,    // the connection is over (client closed, not keep-alive, error, stopping)
        Detached,  // a handler took the socket (an SSE stream now lives on the stream hub)
    };

    HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params);

    // Answers the requests the socket has ready. `stopping`: answer with Connection: close.
    Outcome serve(Poco::Net::HTTPRequestHandlerFactory& factory, const std::atomic<bool>& stopping);

    int fd() const { return fd_; }

  private:
    // HTTPSession::buffered() is protected: the loop must not park a connection whose next
    // request is already in the buffer (epoll would never report it).
    class Session : public Poco::Net::HTTPServerSession {
      public:
        using HTTPServerSession::buffered;
        using HTTPServerSession::HTTPServerSession;
    };

    // One request and its response; false when the connection must close afterwards.
    bool handleOne(Poco::Net::HTTPRequestHandlerFactory& factory, bool stopping);
    void sendError(Poco::Net::HTTPResponse::HTTPStatus status);

    Poco::Net::HTTPServerParams::Ptr params_;
    Session session_;
    int fd_;
    bool firstRequest_ = true;
};

}  // namespace mcph::http
