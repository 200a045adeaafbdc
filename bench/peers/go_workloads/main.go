// The bench/workloads.cpp workloads with the AWS SDK for Go (Debian golang-github-aws-aws-sdk-go-dev):
// PutItem/GetItem, BatchWriteItem from 4 goroutines (as our update()), ScanPages. Prints one
// JSON object. Usage: go_workloads ENDPOINT N
package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/dynamodb"
)

func cpu() float64 {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return float64(u.Utime.Sec+u.Stime.Sec) + float64(u.Utime.Usec+u.Stime.Usec)/1e6
}

func item(i int) map[string]*dynamodb.AttributeValue {
	return map[string]*dynamodb.AttributeValue{
		"pk":          {S: aws.String(fmt.Sprintf("item-%06d", i))},
		"name":        {S: aws.String(fmt.Sprintf("name of item %d %s", i, strings.Repeat("n", 60)))},
		"price":       {N: aws.String(strconv.Itoa(i) + ".25")},
		"tags":        {SS: aws.StringSlice([]string{"alpha", "beta", "gamma"})},
		"description": {S: aws.String(strings.Repeat("d", 70))},
	}
}

func latency(us []float64, seconds, cpuS float64) map[string]float64 {
	sort.Float64s(us)
	return map[string]float64{"p50_us": us[int(0.5*float64(len(us)-1))], "p99_us": us[int(0.99*float64(len(us)-1))],
		"ops_s": float64(len(us)) / seconds, "cpu_us_per_op": cpuS * 1e6 / float64(len(us))}
}

func throughput(items int, seconds, cpuS float64) map[string]float64 {
	return map[string]float64{"seconds": seconds, "items_s": float64(items) / seconds,
		"cpu_us_per_item": cpuS * 1e6 / float64(items)}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func freshTable(db *dynamodb.DynamoDB, name string) {
	db.DeleteTable(&dynamodb.DeleteTableInput{TableName: aws.String(name)})
	_, err := db.CreateTable(&dynamodb.CreateTableInput{TableName: aws.String(name),
		KeySchema:            []*dynamodb.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: aws.String("HASH")}},
		AttributeDefinitions: []*dynamodb.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: aws.String("S")}},
		BillingMode:          aws.String("PAY_PER_REQUEST")})
	must(err)
}

func main() {
	endpoint := os.Args[1]
	n, _ := strconv.Atoi(os.Args[2])
	sess := session.Must(session.NewSession(&aws.Config{Endpoint: aws.String(endpoint), Region: aws.String("us-east-1"),
		Credentials: credentials.NewStaticCredentials("bench", "bench", "")}))
	db := dynamodb.New(sess)
	items := make([]map[string]*dynamodb.AttributeValue, n)
	for i := range items {
		items[i] = item(i)
	}

	freshTable(db, "bench_go_seq")
	lat := []float64{}
	c0, t0 := cpu(), time.Now()
	for _, it := range items {
		s := time.Now()
		_, err := db.PutItem(&dynamodb.PutItemInput{TableName: aws.String("bench_go_seq"), Item: it})
		must(err)
		lat = append(lat, float64(time.Since(s).Microseconds()))
	}
	put := latency(lat, time.Since(t0).Seconds(), cpu()-c0)
	lat = []float64{}
	c0, t0 = cpu(), time.Now()
	for _, it := range items {
		s := time.Now()
		out, err := db.GetItem(&dynamodb.GetItemInput{TableName: aws.String("bench_go_seq"),
			Key: map[string]*dynamodb.AttributeValue{"pk": it["pk"]}})
		must(err)
		lat = append(lat, float64(time.Since(s).Microseconds()))
		if len(out.Item) != 5 {
			must(fmt.Errorf("wrong item"))
		}
	}
	get := latency(lat, time.Since(t0).Seconds(), cpu()-c0)

	freshTable(db, "bench_go_bulk")
	chunks := make(chan []map[string]*dynamodb.AttributeValue, n/25+1)
	for i := 0; i < n; i += 25 {
		end := i + 25
		if end > n {
			end = n
		}
		chunks <- items[i:end]
	}
	close(chunks)
	c0, t0 = cpu(), time.Now()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chunk := range chunks {
				reqs := []*dynamodb.WriteRequest{}
				for _, it := range chunk {
					reqs = append(reqs, &dynamodb.WriteRequest{PutRequest: &dynamodb.PutRequest{Item: it}})
				}
				pending := map[string][]*dynamodb.WriteRequest{"bench_go_bulk": reqs}
				for round := 0; len(pending) > 0; round++ {
					if round > 0 {
						time.Sleep(time.Duration(rand.Float64()*float64(int(25)<<round)) * time.Millisecond)
					}
					out, err := db.BatchWriteItem(&dynamodb.BatchWriteItemInput{RequestItems: pending})
					must(err)
					pending = out.UnprocessedItems
				}
			}
		}()
	}
	wg.Wait()
	bulk := throughput(n, time.Since(t0).Seconds(), cpu()-c0)

	c0, t0 = cpu(), time.Now()
	seen := 0
	must(db.ScanPages(&dynamodb.ScanInput{TableName: aws.String("bench_go_bulk")},
		func(page *dynamodb.ScanOutput, last bool) bool {
			for _, it := range page.Items {
				if len(it) == 5 {
					seen++
				}
			}
			return true
		}))
	if seen != n {
		must(fmt.Errorf("scan saw %d", seen))
	}
	scan := throughput(n, time.Since(t0).Seconds(), cpu()-c0)

	db.DeleteTable(&dynamodb.DeleteTableInput{TableName: aws.String("bench_go_seq")})
	db.DeleteTable(&dynamodb.DeleteTableInput{TableName: aws.String("bench_go_bulk")})
	out, _ := json.Marshal(map[string]interface{}{"client": "aws-sdk-go", "put": put, "get": get, "bulk": bulk, "scan": scan})
	fmt.Println(string(out))
}
