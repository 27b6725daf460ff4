# nbclient's pattern without Jupyter or gradlab, to show where notebook 07's
# stalls under nbconvert come from (README.md, "Known problems").
#
# A server process answers each request on a ROUTER after publishing
# outputs on a PUB; the client (zmq.asyncio, as jupyter_client's async
# client) polls its DEALER for the reply while another task reads the SUB
# and, for each output, sends a message on the same DEALER, as nbclient's
# OutputWidget does. With "shadow" the send goes through a blocking shadow
# of the asyncio socket, as jupyter_client's Session.send does; without,
# through the asyncio socket itself. Counts the polls that return only at
# their timeout although the reply had arrived.
#
#   /usr/bin/python3 bench/nbclientstall/stall.py 1000 0.5 shadow
#   /usr/bin/python3 bench/nbclientstall/stall.py 1000 0.5
import asyncio, multiprocessing, random, sys, time
import zmq, zmq.asyncio

def server(port):
    ctx = zmq.Context()
    r = ctx.socket(zmq.ROUTER); r.bind("tcp://127.0.0.1:%d" % port)
    p = ctx.socket(zmq.PUB); p.bind("tcp://127.0.0.1:%d" % (port + 1))
    while True:
        ident, kind, body = r.recv_multipart()
        if kind == b"stop": return
        if kind != b"req": continue
        for k in range(3):
            p.send_multipart([b"out", body])
        r.send_multipart([ident, b"rep", body])
        p.send_multipart([b"out", body])
        p.send_multipart([b"idle", body])

def sockets(port):
    ctx = zmq.asyncio.Context()
    d = ctx.socket(zmq.DEALER); d.connect("tcp://127.0.0.1:%d" % port)
    s = ctx.socket(zmq.SUB); s.connect("tcp://127.0.0.1:%d" % (port + 1)); s.setsockopt(zmq.SUBSCRIBE, b"")
    return d, s

async def main(n, timeout, port):
    proc = multiprocessing.Process(target=server, args=(port,)); proc.start()
    d, s = sockets(port)
    await asyncio.sleep(0.5)
    stalls = 0
    for i in range(n):
        tag = str(i).encode()
        d.send_multipart([b"req", tag])
        async def outputs():
            while True:
                kind, body = await s.recv_multipart()
                if body != tag: continue
                if kind == b"idle": return
                sum(range(20000))  # a little work per output, as nbclient's handlers do
                (zmq.Socket.shadow(d.underlying) if SHADOW else d).send_multipart([b"comm", tag])
        t = asyncio.ensure_future(outputs())
        t0 = time.monotonic()
        while True:
            ready = await d.poll(timeout * 1000)
            if not ready:
                print("request %d: no reply within %.1f s" % (i, timeout)); break
            kind, body = await d.recv_multipart()
            if body == tag: break
        dt = time.monotonic() - t0
        if dt > timeout * 0.9:
            stalls += 1
            print("stall: request %d: reply seen after %.2f s" % (i, dt), flush=True)
        await asyncio.wait_for(t, 5)
    d.send_multipart([b"stop", b""])
    proc.join()
    print("%d requests, %d stalls (pyzmq %s, libzmq %s)" % (n, stalls, zmq.__version__, zmq.zmq_version()), flush=True)

port = random.randint(20000, 60000)
SHADOW = "shadow" in sys.argv
asyncio.run(main(int(sys.argv[1]), float(sys.argv[2]), port))
